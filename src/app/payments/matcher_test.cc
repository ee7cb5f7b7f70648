#include "app/payments/matcher.h"

#include <gtest/gtest.h>

#include "app/payments/case_ledger.h"
#include "domain/case_number.h"

namespace quitt::app::payments {
namespace {

using domain::Money;

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, domain::Currency::Eur()); }

MatchIndexRow Row(std::int64_t id, const std::string& name, const std::string& iban,
                  std::int64_t open_cents, bool closed = false) {
  MatchIndexRow row;
  row.client = domain::ClientId(1);
  row.case_id = domain::CaseId(id);
  row.case_number = domain::CaseNumber::FromSequence(id)->ToString();
  row.customer_name = name;
  row.customer_iban = iban;
  row.open_balance = Eur(open_cents);
  row.closed = closed;
  return row;
}

MatchIndex Index() {
  return MatchIndex({Row(1, "Anna Schmidt", "DE02120300000000202051", 10000),
                     Row(2, "Bernd Weber", "DE02500105170137075030", 25000),
                     Row(3, "Bernd Weber", "DE02500105170137075030", 5000),
                     Row(4, "Dora Klein", "", 5000, /*closed=*/true)});
}

TEST(MatchIndex, FindsByReferenceNumberAndEndToEndId) {
  MatchIndex index = Index();
  auto by_reference = index.FindCaseByReference(*CaseReference("Q-00000001-3"));
  ASSERT_EQ(by_reference.size(), 1u);
  EXPECT_EQ(by_reference[0].case_id, 1);
  EXPECT_EQ(by_reference[0].open_balance, Eur(10000));
  EXPECT_TRUE(index.FindCaseByReference(*domain::CreditorReference::Create("999")).empty());
  EXPECT_EQ(index.FindCaseByNumber(*domain::CaseNumber::Parse("Q-00000004-5"))[0].closed, true);
  EXPECT_EQ(index.FindCaseByEndToEndId("QUITT-Q000000037-1")[0].case_id, 3);
  EXPECT_TRUE(index.FindCaseByEndToEndId("NOTPROVIDED").empty());
}

TEST(MatchIndex, IbanFindsEveryCaseOfTheCustomerAndNameNeedsTheExactOpenAmount) {
  MatchIndex index = Index();
  EXPECT_EQ(index.FindCasesByIban(*domain::Iban::Parse("DE02500105170137075030")).size(), 2u);
  const std::string name = domain::payment::NormalizeName("WEBER, BERND");
  EXPECT_EQ(index.FindCasesByNameAndAmount(name, Eur(5000)).size(), 1u);
  EXPECT_TRUE(index.FindCasesByNameAndAmount(name, Eur(5001)).empty());
  // Closed cases are never proposed by name and amount.
  EXPECT_TRUE(
      index.FindCasesByNameAndAmount(domain::payment::NormalizeName("Dora Klein"), Eur(5000))
          .empty());
}

TEST(MatchIndex, UpdateChangesBalanceAndStatus) {
  MatchIndex index = Index();
  index.Update(1, Eur(6171), false);
  EXPECT_EQ(index.Find(1)->open_balance, Eur(6171));
  index.Update(1, Eur(0), true);
  EXPECT_TRUE(index.FindCaseByNumber(*domain::CaseNumber::Parse("Q-00000001-3"))[0].closed);
  EXPECT_EQ(index.Find(99), nullptr);
}

TEST(MatchIndex, DrivesTheDomainMatcher) {
  MatchIndex index = Index();
  domain::payment::BankTransaction t;
  t.amount = Eur(4000);
  t.creditor_reference = CaseReference("Q-00000002-1")->electronic();
  auto result = domain::payment::MatchTransaction(t, index);
  EXPECT_EQ(result.decision, domain::payment::MatchDecision::kMatched);
  EXPECT_EQ(result.confidence, 100);
  EXPECT_EQ(*result.case_id, 2);
  // Reference for case 2 but case number of case 1 in the text: a conflict, to review.
  t.unstructured = {"Fall Q-00000001-3"};
  EXPECT_EQ(domain::payment::MatchTransaction(t, index).decision,
            domain::payment::MatchDecision::kReview);
}

}  // namespace
}  // namespace quitt::app::payments
