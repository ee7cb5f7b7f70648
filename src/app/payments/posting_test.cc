// PlanPosting: what posting one payment means for a case, with hand-checked figures.
#include "app/payments/posting.h"

#include <gtest/gtest.h>

#include "domain/jurisdiction/de/germany.h"

namespace quitt::app::payments {
namespace {

using domain::Date;
using domain::Money;

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, domain::Currency::Eur()); }

domain::CaseState OneClaimCase(std::int64_t principal_cents) {
  domain::CaseState state;
  state.client = domain::ClientId(1);
  state.id = domain::CaseId(1);
  state.case_number = "Q-00000001-3";
  state.currency = domain::Currency::Eur();
  domain::Claim claim;
  claim.id = domain::ClaimId(1);
  claim.client = state.client;
  claim.case_id = state.id;
  claim.client_ref = "R-1";
  claim.reason = "Rechnung";
  claim.invoice_date = *Date::Parse("2026-01-10");
  claim.due_date = *Date::Parse("2026-01-24");
  claim.default_date = *Date::Parse("2026-01-25");
  claim.principal = Eur(principal_cents);
  claim.client_costs = Eur(0);
  state.claims.push_back(claim);
  state.last_seq = 2;
  return state;
}

IncomingPayment Payment(const std::string& ref, const char* date, std::int64_t cents) {
  IncomingPayment p;
  p.payment_ref = ref;
  p.booked_on = *Date::Parse(date);
  p.amount = Eur(cents);
  p.payer_name = "Anna Schmidt";
  p.payer_iban = "DE02120300000000202051";
  p.match_reason = "creditor reference";
  p.confidence = 100;
  return p;
}

std::int64_t Balance(const JournalEntry& entry) {
  std::int64_t balance = 0;
  for (const auto& line : entry.lines) balance += line.debit_minor - line.credit_minor;
  return balance;
}

ClientTerms Terms(std::int32_t commission_bp, bool agency_keeps_costs = true) {
  ClientTerms terms;
  terms.client = domain::ClientId(1);
  terms.commission_bp = commission_bp;
  terms.agency_keeps_collection_costs = agency_keeps_costs;
  return terms;
}

const domain::de::Germany kGermany;

TEST(PlanPosting, APartPaymentIsAllocatedInterestFirstAndSplitWithCommission) {
  // 100.00 at 1.27 % + 5 points from 25.01. to 04.05.2026 (100 days, act/365): 1.7178 → 1.71.
  auto plan = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer,
                          Terms(1000), Payment("p1", "2026-05-04", 4000), {});
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<domain::PaymentReceived>(plan->events[0]));
  const auto& allocated = std::get<domain::PaymentAllocated>(plan->events[1]);
  ASSERT_EQ(allocated.parts.size(), 2u);
  EXPECT_EQ(allocated.parts[0].bucket, "interest");
  EXPECT_EQ(allocated.parts[0].amount, Eur(171));
  EXPECT_EQ(allocated.parts[1].bucket, "principal");
  EXPECT_EQ(allocated.parts[1].amount, Eur(3829));
  ASSERT_TRUE(plan->split.has_value());
  EXPECT_EQ(plan->split->commission, Eur(400));  // 10 % of 40.00
  EXPECT_EQ(plan->split->to_client, Eur(3600));
  EXPECT_FALSE(plan->hold.has_value());
  EXPECT_FALSE(plan->closes_case);
  EXPECT_EQ(plan->open_after, Eur(6171));
  EXPECT_EQ(Balance(plan->journal), 0);
  EXPECT_EQ(plan->journal.kind, "receipt");
  EXPECT_EQ(plan->entry_state, BankEntryState::kPosted);
}

TEST(PlanPosting, CommissionIsRoundedDown) {
  // 12.5 % of 40.00 = 5.00; of 33.33 = 4.16625 → 4.16.
  auto plan = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer,
                          Terms(1250), Payment("p1", "2026-05-04", 3333), {});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->split->commission, Eur(416));
  EXPECT_EQ(plan->split->to_client + plan->split->commission + plan->split->agency_costs,
            Eur(3333));
}

TEST(PlanPosting, AnOverpaymentClosesTheCaseAndHoldsTheExcess) {
  // 50.00 + 0.85 interest (50 × 6.27 % × 100 / 365 = 0.8589) = 50.85; 60.00 pays 9.15 too much.
  auto plan = PlanPosting(kGermany, OneClaimCase(5000), domain::CustomerKind::kConsumer, Terms(0),
                          Payment("p1", "2026-05-04", 6000), {});
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->hold.has_value());
  EXPECT_EQ(plan->hold->amount, Eur(915));
  EXPECT_EQ(plan->hold->reason, "overpayment");
  EXPECT_EQ(plan->split->amount, Eur(5085));
  EXPECT_TRUE(plan->closes_case);
  EXPECT_EQ(plan->open_after, Eur(0));
  ASSERT_EQ(plan->events.size(), 4u);  // received, allocated, held, closed
  EXPECT_TRUE(std::holds_alternative<domain::PaymentHeld>(plan->events[2]));
  const auto& closed = std::get<domain::CaseClosed>(plan->events[3]);
  EXPECT_EQ(closed.reason, domain::CaseCloseReason::kPaid);
  EXPECT_EQ(Balance(plan->journal), 0);
}

TEST(PlanPosting, APaymentForAClosedCaseIsHeldWhole) {
  auto state = OneClaimCase(5000);
  state.status = domain::CaseStatus::kClosed;
  auto plan = PlanPosting(kGermany, state, domain::CustomerKind::kConsumer, Terms(1000),
                          Payment("p2", "2026-05-05", 2000), {});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->entry_state, BankEntryState::kHeld);
  EXPECT_FALSE(plan->allocation.has_value());
  EXPECT_FALSE(plan->split.has_value());
  ASSERT_TRUE(plan->hold.has_value());
  EXPECT_EQ(plan->hold->amount, Eur(2000));
  EXPECT_EQ(plan->hold->reason, "case_closed");
  ASSERT_EQ(plan->journal.lines.size(), 2u);
  EXPECT_EQ(plan->journal.lines[1].account, kAccountRefundsPayable);
}

TEST(PlanPosting, FromSuspenseMovesMoneyOutOfSuspense) {
  PostingOptions options;
  options.from_suspense = true;
  auto plan = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer, Terms(0),
                          Payment("p1", "2026-05-04", 4000), options);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->journal.kind, "assignment");
  EXPECT_EQ(plan->journal.lines[0].account, kAccountSuspense);
  EXPECT_EQ(plan->journal.lines[0].debit_minor, 4000);
  EXPECT_EQ(Balance(plan->journal), 0);
}

TEST(PlanPosting, CollectionCostsGoToTheAgencyFirstUnlessPassedOn) {
  auto state = OneClaimCase(10000);
  domain::FeeCharged fee;
  fee.fee_ref = "fee-1";
  fee.date = *Date::Parse("2026-03-01");
  fee.kind = "business_fee";
  fee.course = "regular";
  state.fees.push_back(fee);
  auto kept = PlanPosting(kGermany, state, domain::CustomerKind::kConsumer, Terms(1000),
                          Payment("p1", "2026-05-04", 5000), {});
  ASSERT_TRUE(kept.ok()) << kept.error().ToString();
  ASSERT_TRUE(kept->split->costs.is_positive());
  // § 367 BGB: costs first; the agency keeps what the customer paid towards its fees, the
  // commission is on principal and interest only.
  EXPECT_EQ(kept->split->agency_costs, kept->split->costs);
  EXPECT_EQ(kept->split->commission, (kept->split->principal + kept->split->interest)
                                         .MultiplyRatio(1000, 10000, domain::RoundingMode::kDown));
  auto passed = PlanPosting(kGermany, state, domain::CustomerKind::kConsumer, Terms(1000, false),
                            Payment("p1", "2026-05-04", 5000), {});
  ASSERT_TRUE(passed.ok());
  EXPECT_EQ(passed->split->agency_costs, Eur(0));
  EXPECT_EQ(passed->split->to_client, Eur(5000) - passed->split->commission);
}

TEST(PlanPosting, RefusesOtherCurrenciesAndUnpublishedBaseRates) {
  IncomingPayment chf = Payment("p1", "2026-05-04", 1000);
  chf.amount = Money::FromMinorUnits(1000, *domain::Currency::FromCode("CHF"));
  auto refused = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer,
                             Terms(0), chf, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("CHF"), std::string::npos);
  auto late = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer, Terms(0),
                          Payment("p1", "2026-11-20", 1000), {});
  ASSERT_FALSE(late.ok());
  PostingOptions provisional;
  provisional.allow_provisional_base_rate = true;
  auto allowed = PlanPosting(kGermany, OneClaimCase(10000), domain::CustomerKind::kConsumer,
                             Terms(0), Payment("p1", "2026-11-20", 1000), provisional);
  ASSERT_TRUE(allowed.ok()) << allowed.error().ToString();
  EXPECT_FALSE(allowed->notes.empty());
}

TEST(CaseReference, IsTheCaseNumberDigitsWithIso11649CheckDigits) {
  EXPECT_EQ(CaseReference("Q-00000001-3")->electronic(), "RF41000000013");
  EXPECT_EQ(CaseReference("q000000021")->electronic(), "RF19000000021");
  EXPECT_FALSE(CaseReference("Q-00000001-4").ok());  // wrong check digit
}

}  // namespace
}  // namespace quitt::app::payments
