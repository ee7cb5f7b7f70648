#include "domain/payment/matching.h"

#include <gtest/gtest.h>

#include <map>

namespace quitt::domain::payment {
namespace {

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

// An in-memory finder, as the storage adapter would answer from its indexes.
class FakeFinder : public CaseFinder {
 public:
  std::map<std::string, std::vector<CaseCandidate>> by_reference, by_number, by_e2e, by_iban;
  std::map<std::string, std::vector<CaseCandidate>> by_name;  // normalized name

  std::vector<CaseCandidate> FindCaseByReference(const CreditorReference& r) const override {
    return Get(by_reference, r.electronic());
  }
  std::vector<CaseCandidate> FindCaseByNumber(const CaseNumber& n) const override {
    return Get(by_number, n.ToString());
  }
  std::vector<CaseCandidate> FindCaseByEndToEndId(std::string_view id) const override {
    return Get(by_e2e, std::string(id));
  }
  std::vector<CaseCandidate> FindCasesByIban(const Iban& iban) const override {
    return Get(by_iban, iban.electronic());
  }
  std::vector<CaseCandidate> FindCasesByNameAndAmount(std::string_view name,
                                                      const Money& amount) const override {
    std::vector<CaseCandidate> out;
    for (const CaseCandidate& c : Get(by_name, std::string(name))) {
      if (c.open_balance == amount) out.push_back(c);
    }
    return out;
  }

 private:
  static std::vector<CaseCandidate> Get(const std::map<std::string, std::vector<CaseCandidate>>& m,
                                        const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? std::vector<CaseCandidate>{} : it->second;
  }
};

CaseCandidate Case(std::int64_t id, std::int64_t open_cents, bool closed = false) {
  return CaseCandidate{id, Eur(open_cents), closed};
}

BankTransaction Credit(std::int64_t cents) {
  BankTransaction t;
  t.amount = Eur(cents);
  t.direction = Direction::kCredit;
  t.status = EntryStatus::kBooked;
  return t;
}

const std::string kRef = "RF18539007547034";

TEST(MatchingTest, StructuredCreditorReferenceIsTheStrongestMatch) {
  FakeFinder finder;
  finder.by_reference[kRef] = {Case(7, 10000)};
  BankTransaction t = Credit(10000);
  t.creditor_reference = "RF18 5390 0754 7034";
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.reason, MatchReason::kCreditorReference);
  EXPECT_EQ(r.confidence, 100);
  EXPECT_EQ(r.case_id, 7);
  EXPECT_FALSE(r.overpayment);
  EXPECT_NE(r.explanation.find("RF18539007547034"), std::string::npos);
}

TEST(MatchingTest, ReferenceOrCaseNumberInFreeText) {
  FakeFinder finder;
  finder.by_reference[kRef] = {Case(7, 10000)};
  BankTransaction t = Credit(5000);
  t.unstructured = {"Zahlung zu rf18 5390", "0754 7034 danke"};  // wrapped over two lines
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.reason, MatchReason::kReferenceInText);
  EXPECT_EQ(r.confidence, 95);
  EXPECT_EQ(r.case_id, 7);

  const std::string number = CaseNumber::FromSequence(12345)->ToString();
  finder.by_number[number] = {Case(12345, 5000)};
  BankTransaction by_number = Credit(5000);
  by_number.unstructured = {"Akte " + number + " Rate 3"};
  r = MatchTransaction(by_number, finder);
  EXPECT_EQ(r.reason, MatchReason::kCaseNumber);
  EXPECT_EQ(r.case_id, 12345);

  // A mistyped check digit is not a case number; nothing else fits: review.
  std::string typo = number;
  typo.back() = typo.back() == '0' ? '1' : '0';
  by_number.unstructured = {"Akte " + typo};
  r = MatchTransaction(by_number, finder);
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_EQ(r.reason, MatchReason::kNone);
}

TEST(MatchingTest, EndToEndIdThenIbanThenNameAndAmount) {
  FakeFinder finder;
  finder.by_e2e["QUITT-DD-42"] = {Case(42, 3000)};
  BankTransaction t = Credit(3000);
  t.end_to_end_id = "QUITT-DD-42";
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.reason, MatchReason::kEndToEndId);
  EXPECT_EQ(r.confidence, 90);
  EXPECT_EQ(r.case_id, 42);

  finder.by_iban["DE89370400440532013000"] = {Case(5, 2000)};
  BankTransaction by_iban = Credit(1000);
  by_iban.counterparty_iban = "DE89370400440532013000";
  r = MatchTransaction(by_iban, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.reason, MatchReason::kCustomerIban);
  EXPECT_EQ(r.confidence, 75);
  EXPECT_EQ(r.case_id, 5);

  finder.by_name["hans mueller"] = {Case(9, 4711), Case(10, 100)};
  BankTransaction by_name = Credit(4711);
  by_name.counterparty_name = "MÜLLER, Hans";
  r = MatchTransaction(by_name, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.reason, MatchReason::kNameAndAmount);
  EXPECT_EQ(r.confidence, 60);
  EXPECT_EQ(r.case_id, 9);

  // With a stricter policy the same evidence is only proposed.
  r = MatchTransaction(by_name, finder, MatchPolicy{.auto_match_min_confidence = 70});
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_EQ(r.case_id, 9);
}

TEST(MatchingTest, IbanWithSeveralCasesUsesTheAmountOrGoesToReview) {
  FakeFinder finder;
  finder.by_iban["DE89370400440532013000"] = {Case(1, 5000), Case(2, 7500)};
  BankTransaction t = Credit(7500);
  t.counterparty_iban = "DE89 3704 0044 0532 0130 00";
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.confidence, 70);
  EXPECT_EQ(r.case_id, 2);

  t.amount = Eur(1000);
  r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_EQ(r.candidates.size(), 2u);
  EXPECT_FALSE(r.case_id.has_value());
}

TEST(MatchingTest, ConflictingIdentifiersGoToReview) {
  FakeFinder finder;
  finder.by_reference[kRef] = {Case(7, 10000)};
  const std::string number = CaseNumber::FromSequence(8)->ToString();
  finder.by_number[number] = {Case(8, 10000)};
  BankTransaction t = Credit(10000);
  t.creditor_reference = kRef;
  t.unstructured = {"Fall " + number};
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_EQ(r.candidates.size(), 2u);
  EXPECT_NE(r.explanation.find("2 cases"), std::string::npos);

  // The same case named twice is no conflict.
  finder.by_number[number] = {Case(7, 10000)};
  r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_EQ(r.reason, MatchReason::kCreditorReference);
}

TEST(MatchingTest, AmbiguousNameAndAmountGoesToReview) {
  FakeFinder finder;
  finder.by_name["anna schmidt"] = {Case(1, 5000), Case(2, 5000)};
  BankTransaction t = Credit(5000);
  t.counterparty_name = "Schmidt Anna";
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_EQ(r.reason, MatchReason::kNameAndAmount);
  EXPECT_EQ(r.candidates.size(), 2u);
}

TEST(MatchingTest, FlagsOverpaymentAndClosedCases) {
  FakeFinder finder;
  finder.by_reference[kRef] = {Case(7, 8000)};
  BankTransaction t = Credit(10000);
  t.creditor_reference = kRef;
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.decision, MatchDecision::kMatched);
  EXPECT_TRUE(r.overpayment);
  EXPECT_FALSE(r.case_closed);

  finder.by_reference[kRef] = {Case(7, 0, /*closed=*/true)};
  r = MatchTransaction(t, finder);
  EXPECT_TRUE(r.case_closed);
  EXPECT_NE(r.explanation.find("refund"), std::string::npos);
}

TEST(MatchingTest, DebitsUnbookedAndReversals) {
  FakeFinder finder;
  BankTransaction debit = Credit(100);
  debit.direction = Direction::kDebit;
  EXPECT_EQ(MatchTransaction(debit, finder).decision, MatchDecision::kNotIncoming);

  BankTransaction pending = Credit(100);
  pending.status = EntryStatus::kPending;
  EXPECT_EQ(MatchTransaction(pending, finder).decision, MatchDecision::kNotIncoming);

  BankTransaction returned = debit;
  returned.reversal = true;
  MatchResult r = MatchTransaction(returned, finder);
  EXPECT_EQ(r.decision, MatchDecision::kReview);
  EXPECT_NE(r.explanation.find("reversal of an incoming payment"), std::string::npos);
}

TEST(MatchingTest, UnknownReferenceFallsThroughToWeakerRules) {
  FakeFinder finder;  // knows no references
  finder.by_iban["DE89370400440532013000"] = {Case(3, 100)};
  BankTransaction t = Credit(100);
  t.creditor_reference = kRef;
  t.counterparty_iban = "DE89370400440532013000";
  MatchResult r = MatchTransaction(t, finder);
  EXPECT_EQ(r.reason, MatchReason::kCustomerIban);
  EXPECT_EQ(r.case_id, 3);
}

TEST(MatchingTest, FindsReferencesInTextOnlyWithValidCheckDigits) {
  auto refs = FindCreditorReferencesIn("Rechnung RF18539007547034, alt: RF19539007547034");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].electronic(), kRef);
  EXPECT_TRUE(FindCreditorReferencesIn("PERF18539007547034").empty());
  EXPECT_EQ(FindCreditorReferencesIn("ref RF18 5390 0754 7034").size(), 1u);
}

TEST(MatchingTest, NormalizeName) {
  EXPECT_EQ(NormalizeName("Müller, Hans-Peter"), "hans mueller peter");
  EXPECT_EQ(NormalizeName("HANS PETER MUELLER"), "hans mueller peter");
  EXPECT_EQ(NormalizeName("Straße & Söhne GmbH"), "gmbh soehne strasse");
  EXPECT_EQ(NormalizeName("  "), "");
}

}  // namespace
}  // namespace quitt::domain::payment
