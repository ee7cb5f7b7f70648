#include "domain/ledger/ledger_codec.h"

#include <gtest/gtest.h>

namespace quitt::domain {
namespace {

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

PaymentAllocation Sample() {
  PaymentAllocation a;
  a.payment_ref = "BANK-1";
  a.date = *Date::FromYmd(2024, 3, 1);
  a.amount = Eur(15000);
  a.parts = {{ClaimId(7), Bucket::kCosts, Eur(9504), {"§ 367(1) BGB", "https://x"}},
             {ClaimId(7), Bucket::kInterest, Eur(1037), {"§ 367(1) BGB", "https://x"}},
             {ClaimId(7), Bucket::kPrincipal, Eur(4459), {"§ 367(1) BGB", "https://x"}}};
  a.surplus = Eur(0);
  return a;
}

TEST(LedgerCodec, AllocationRoundTrips) {
  PaymentAllocation a = Sample();
  nlohmann::json j = AllocationToJson(a);
  EXPECT_EQ(j["parts"][1]["amount"]["amount"], "10.37");
  auto back = AllocationFromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->payment_ref, "BANK-1");
  ASSERT_EQ(back->parts.size(), 3u);
  EXPECT_EQ(back->parts[2].bucket, Bucket::kPrincipal);
  EXPECT_EQ(back->parts[2].amount, Eur(4459));
  EXPECT_EQ(back->parts[0].basis.rule, "§ 367(1) BGB");
  EXPECT_EQ(AllocationToJson(*back), j);
}

TEST(LedgerCodec, AllocationThatDoesNotAddUpIsRejected) {
  nlohmann::json j = AllocationToJson(Sample());
  j["parts"][2]["amount"]["amount"] = "44.60";
  auto bad = AllocationFromJson(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("150.01"), std::string::npos) << bad.error().message();
  j = AllocationToJson(Sample());
  j["parts"][1]["bucket"] = "fees";
  bad = AllocationFromJson(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("parts[1].bucket"), std::string::npos);
}

TEST(LedgerCodec, FeeEventRoundTrips) {
  FeeEvent e;
  e.ref = "F1";
  e.date = *Date::FromYmd(2025, 7, 1);
  e.kind = FeeKind::kSettlementFee;
  e.course = CollectionCourse::kExtensiveOrDifficult;
  e.charged = Eur(20000);
  e.claims = {ClaimId(3), ClaimId(4)};
  auto back = FeeEventFromJson(nlohmann::json::parse(FeeEventToJson(e).dump()));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->kind, FeeKind::kSettlementFee);
  EXPECT_EQ(back->course, CollectionCourse::kExtensiveOrDifficult);
  EXPECT_EQ(*back->charged, Eur(20000));
  EXPECT_FALSE(back->value);
  ASSERT_EQ(back->claims.size(), 2u);
  EXPECT_EQ(back->claims[1], ClaimId(4));
  nlohmann::json bad = FeeEventToJson(e);
  bad["course"] = "quick";
  EXPECT_FALSE(FeeEventFromJson(bad).ok());
}

}  // namespace
}  // namespace quitt::domain
