#include "app/payments/remittance.h"

#include <gtest/gtest.h>

#include "app/payments/trust_ledger.h"

namespace quitt::app::payments {
namespace {

using domain::Date;

TEST(RemittanceDue, FollowsTheRhythm) {
  const Date may31 = *Date::Parse("2026-05-31");
  EXPECT_TRUE(RemittanceDue(RemittanceRhythm::kMonthly, std::nullopt, may31));
  EXPECT_FALSE(RemittanceDue(RemittanceRhythm::kMonthly, *Date::Parse("2026-05-01"), may31));
  EXPECT_TRUE(RemittanceDue(RemittanceRhythm::kMonthly, *Date::Parse("2026-04-30"), may31));
  EXPECT_FALSE(RemittanceDue(RemittanceRhythm::kWeekly, *Date::Parse("2026-05-25"), may31));
  EXPECT_TRUE(RemittanceDue(RemittanceRhythm::kWeekly, *Date::Parse("2026-05-24"), may31));
  EXPECT_FALSE(RemittanceDue(RemittanceRhythm::kDaily, may31, may31));
  EXPECT_TRUE(RemittanceDue(RemittanceRhythm::kDaily, *Date::Parse("2026-05-30"), may31));
}

TEST(RemittanceCsv, ListsEveryPaymentAndTheTotals) {
  auto eur = [](std::int64_t c) {
    return domain::Money::FromMinorUnits(c, domain::Currency::Eur());
  };
  PaymentSplit split;
  split.case_number = "Q-00000001-3";
  split.payment_ref = "acct|asr:1, \"x\"";
  split.date = *Date::Parse("2026-05-04");
  split.amount = eur(4000);
  split.principal = eur(3829);
  split.interest = eur(171);
  split.costs = eur(0);
  split.commission = eur(400);
  split.agency_costs = eur(0);
  split.to_client = eur(3600);
  domain::Client client{domain::ClientId(1), "ACME", "Acme", "DE"};
  const std::string csv = RemittanceCsv(client, {split, split}, *Date::Parse("2026-05-31"));
  EXPECT_NE(csv.find("ACME,Q-00000001-3,\"acct|asr:1, \"\"x\"\"\",2026-05-04,40.00,38.29,1.71,0.00,"
                     "4.00,0.00,36.00,EUR\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("ACME,total,2 payments,2026-05-31,80.00,76.58,3.42,0.00,8.00,0.00,72.00,EUR"),
            std::string::npos)
      << csv;
}

TEST(MinorToDecimal, SignsAndCents) {
  EXPECT_EQ(MinorToDecimal(0), "0.00");
  EXPECT_EQ(MinorToDecimal(5), "0.05");
  EXPECT_EQ(MinorToDecimal(-5), "-0.05");
  EXPECT_EQ(MinorToDecimal(123456), "1234.56");
}

}  // namespace
}  // namespace quitt::app::payments
