#include "app/payments/direct_debit.h"

#include <gtest/gtest.h>

#include "app/case_facts.h"

namespace quitt::app::payments {
namespace {

using domain::Date;
using domain::Money;

Date D(const char* iso) { return *Date::Parse(iso); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, domain::Currency::Eur()); }

// A case with a three-instalment plan agreed on 2026-11-23 and a mandate signed 2026-11-20.
class PlanDebits : public ::testing::Test {
 protected:
  void SetUp() override {
    add(domain::CaseOpened{domain::CustomerId(2), "Q-00000002-1", "EUR", "test"});
    AddClaim(Eur(25000));
    add(domain::PlanAgreed{Eur(25000),
                           "monthly",
                           {{D("2026-12-10"), Eur(8334)},
                            {D("2027-01-11"), Eur(8333)},
                            {D("2027-02-10"), Eur(8333)}}});
    add(domain::MandateGiven{"QUITT-M-2", D("2026-11-20"), "DE02500105170137075030", "",
                             "Bernd Weber", "CORE"});
    options.as_of = D("2026-12-07");
  }
  void add(domain::CaseEventPayload payload) {
    state =
        domain::Apply(std::move(state),
                      domain::CaseEvent{domain::ClientId(1), domain::CaseId(2), state.last_seq + 1,
                                        D("2026-11-23"), domain::Timestamp::FromUnixMicros(0),
                                        "test", std::move(payload)});
  }
  void AddClaim(Money principal) {
    domain::Claim claim;
    claim.client_ref = "R-" + std::to_string(state.claims.size() + 1);
    claim.principal = principal;
    add(domain::ClaimAdded{claim});
  }
  void Plan() {
    debits.clear();
    skipped.clear();
    collected = 0;
    PlanCaseDebits(state, D("2026-11-23"), options, debits, skipped, collected);
  }
  void Record() {
    for (const auto& d : debits) {
      add(domain::DirectDebitCollected{d.end_to_end_id, d.mandate.mandate_ref, d.sequence,
                                       d.instalment_due, d.amount, d.collection_date, "M1"});
    }
  }
  domain::CaseState state;
  DebitOptions options;
  std::vector<PlannedDebit> debits;
  std::vector<SkippedDebit> skipped;
  int collected = 0;
};

TEST_F(PlanDebits, FirstCollectionIsFrstThenRcurAndNeverTwice) {
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].sequence, "FRST");
  EXPECT_EQ(debits[0].amount, Eur(8334));
  EXPECT_EQ(debits[0].collection_date, D("2026-12-10"));
  EXPECT_EQ(debits[0].end_to_end_id, "QUITT-Q000000021-DD0001");
  EXPECT_EQ(debits[0].remittance_text, "Rate 1 von 3, Akte Q-00000002-1");
  Record();
  Plan();  // the same day again: nothing new
  EXPECT_TRUE(debits.empty());
  EXPECT_EQ(collected, 1);
  options.as_of = D("2027-01-06");
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].sequence, "RCUR");
  EXPECT_EQ(debits[0].instalment_due, D("2027-01-11"));
  EXPECT_EQ(debits[0].end_to_end_id, "QUITT-Q000000021-DD0002");
}

TEST_F(PlanDebits, PreNotificationAndSubmissionDeadlineMoveTheCollectionDate) {
  options.as_of = D("2026-11-24");
  options.lookahead_days = 30;
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].collection_date, D("2026-12-10"));  // due date, after 14 days' notice
  // A plan agreed three days before its first due date: 14 days' notice from the agreement.
  options.lookahead_days = 7;
  options.as_of = D("2026-12-08");
  debits.clear();
  skipped.clear();
  PlanCaseDebits(state, D("2026-12-07"), options, debits, skipped, collected);
  ASSERT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("pre-notification"), std::string::npos) << skipped[0].reason;
  EXPECT_NE(skipped[0].reason.find("2026-12-21"), std::string::npos) << skipped[0].reason;
  // An overdue instalment goes on the next business day after the D-1 deadline.
  options.as_of = D("2026-12-11");  // Friday
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].collection_date, D("2026-12-14"));
}

TEST_F(PlanDebits, RevokedDisputedPausedAndPaidCasesAreSkipped) {
  add(domain::DisputeRaised{"not delivered"});
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("disputed"), std::string::npos);
  add(domain::DisputeResolved{"delivered", {}});
  add(domain::HardshipFlagged{"illness"});
  Plan();
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("paused"), std::string::npos);
  add(domain::HardshipCleared{"", {}});
  add(domain::MandateRevoked{"QUITT-M-2", D("2026-12-01"), "customer's letter"});
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("revoked on 2026-12-01"), std::string::npos);
  // A new mandate: collections resume, the first under it is FRST again.
  add(domain::MandateGiven{"QUITT-M-2B", D("2026-11-21"), "DE02500105170137075030", "",
                           "Bernd Weber", "CORE"});
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].mandate.mandate_ref, "QUITT-M-2B");
  // Paid by transfer: nothing to collect.
  add(domain::PaymentReceived{"t1", D("2026-12-01"), Eur(8334), "", "", "", "", 100});
  Plan();
  EXPECT_TRUE(debits.empty());
  EXPECT_TRUE(skipped.empty());
}

// The pre-notification announced the full instalment: after a part payment by transfer the rest
// is not collected (it would need a new notice), and nothing beyond the open balance ever is.
TEST_F(PlanDebits, APartlyPaidInstalmentIsNotCollected) {
  add(domain::PaymentReceived{"t1", D("2026-12-01"), Eur(5000), "", "", "", "", 100});
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].instalment_due, D("2026-12-10"));
  EXPECT_NE(skipped[0].reason.find("partly paid by transfer (200.00 open)"), std::string::npos)
      << skipped[0].reason;
  EXPECT_NE(skipped[0].reason.find("new pre-notification"), std::string::npos);
  // Once the instalment is paid in full the next one is collected whole.
  add(domain::PaymentReceived{"t2", D("2026-12-02"), Eur(3334), "", "", "", "", 100});
  options.as_of = D("2027-01-06");
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  EXPECT_EQ(debits[0].amount, Eur(8333));
}

TEST_F(PlanDebits, NeverMoreThanTheOpenBalance) {
  state.claims.clear();
  AddClaim(Eur(6000));  // the plan is larger than what is owed now
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("open balance below the instalment (60.00 open)"),
            std::string::npos)
      << skipped[0].reason;
  // A collection in flight (sent, credit not yet posted) counts against the balance.
  state.claims.clear();
  AddClaim(Eur(10000));
  Plan();
  ASSERT_EQ(debits.size(), 1u);
  Record();
  options.as_of = D("2027-01-06");
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("(16.66 open)"), std::string::npos) << skipped[0].reason;
}

// A mandate recorded before the holder was checked is skipped with the reason, not the run.
TEST_F(PlanDebits, AnUnwritableMandateSkipsOnlyItsCase) {
  add(domain::MandateGiven{"QUITT-M-2C", D("2026-11-21"), "DE02500105170137075030", "",
                           "Bernd Weber <bw@example.com>", "CORE"});
  Plan();
  EXPECT_TRUE(debits.empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].reason.find("mandate QUITT-M-2C cannot go into the pain.008"),
            std::string::npos)
      << skipped[0].reason;
  EXPECT_NE(skipped[0].reason.find("'<'"), std::string::npos) << skipped[0].reason;
}

// The daily run counts instalments from the payments in the state: once the return drops the
// payment, the collected instalment is the earliest unpaid one again (missed after the grace).
TEST_F(PlanDebits, AReturnedCollectionLeavesTheInstalmentUnpaid) {
  Plan();
  Record();
  add(domain::PaymentReceived{"acct|asr:9", D("2026-12-10"), Eur(8334), "Bernd Weber", "", "",
                              DirectDebitMatchReason(debits[0].end_to_end_id), 95});
  EXPECT_EQ(ArrangementOf(state).next_unpaid_due, D("2027-01-11"));
  add(domain::DirectDebitReturned{debits[0].end_to_end_id, "acct|asr:9", "acct|asr:10",
                                  D("2026-12-14"), Eur(8334), "MD06"});
  const auto facts = ArrangementOf(state);
  EXPECT_FALSE(facts.fully_paid);
  EXPECT_EQ(facts.next_unpaid_due, D("2026-12-10"));
  options.as_of = D("2026-12-14");
  Plan();  // not collected a second time
  EXPECT_TRUE(debits.empty());
  EXPECT_EQ(collected, 1);
}

TEST(ActiveMandate, IsTheLastOneNotRevoked) {
  domain::CaseState state;
  state.mandates.push_back({"A", D("2026-01-01"), "", "", "", "CORE"});
  state.mandates.push_back({"B", D("2026-02-01"), "", "", "", "CORE"});
  state.mandate_revocations.push_back({"B", D("2026-03-01"), ""});
  EXPECT_EQ(ActiveMandate(state, D("2026-02-15"))->mandate_ref, "B");
  EXPECT_EQ(ActiveMandate(state, D("2026-03-01"))->mandate_ref, "A");
}

TEST(CheckMandate, ValidatesEveryField) {
  MandateInput input{"QUITT-M-2",   D("2026-11-20"), "DE02 5001 0517 0137 0750 30",
                     "cobadeffxxx", "Bernd Weber",   "CORE"};
  auto ok = CheckMandate(input, D("2026-11-23"));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->iban, "DE02500105170137075030");
  EXPECT_EQ(ok->bic, "COBADEFFXXX");
  auto bad = input;
  bad.signed_on = D("2026-11-24");
  EXPECT_NE(CheckMandate(bad, D("2026-11-23")).error().message().find("in the future"),
            std::string::npos);
  bad = input;
  bad.iban = "DE02500105170137075031";
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
  bad = input;
  bad.mandate_ref = "M_1";
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
  bad = input;
  bad.bic = "COBA";
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
  bad = input;
  bad.scheme = "COR1";
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
  bad = input;
  bad.holder = "  ";
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
  // The holder obeys the pain.008 character rule: umlauts and accents pass, the rest is refused.
  bad = input;
  bad.holder = "Jürgen Müller & Söhne, Cédric";
  EXPECT_TRUE(CheckMandate(bad, D("2026-11-23")).ok());
  bad.holder = "Bernd_Weber";
  auto wrong = CheckMandate(bad, D("2026-11-23"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("account holder 'Bernd_Weber' contains '_'"),
            std::string::npos)
      << wrong.error().message();
  bad.holder = "Bernd \xE2\x82\xAC Weber";  // a euro sign
  EXPECT_FALSE(CheckMandate(bad, D("2026-11-23")).ok());
}

TEST(DirectDebitReturn, RecognisesReturnEntries) {
  domain::payment::BankTransaction t;
  t.end_to_end_id = "QUITT-Q000000021-DD0001";
  t.direction = domain::payment::Direction::kDebit;
  EXPECT_FALSE(LooksLikeDirectDebitReturn(t));  // an ordinary debit
  t.return_reason = "MD06";
  EXPECT_TRUE(LooksLikeDirectDebitReturn(t));
  t.end_to_end_id.clear();
  EXPECT_FALSE(LooksLikeDirectDebitReturn(t));
}

}  // namespace
}  // namespace quitt::app::payments
