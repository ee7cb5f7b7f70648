#include "domain/case_state.h"

#include "common/check.h"

namespace quitt::domain {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;
void StartArrangement(CaseState& state, CollectionProgress::Arrangement kind,
                      std::vector<PlannedInstalment> dues) {
  state.collection.arrangement = kind;
  // Payments received from now on pay the promise / the instalments.
  state.collection.payments_before_arrangement = state.payments.size();
  state.collection.arrangement_dues = std::move(dues);
}

void EndArrangement(CaseState& state, const ResumePoint& resume) {
  state.collection.arrangement = CollectionProgress::Arrangement::kNone;
  state.collection.arrangement_dues.clear();
  state.collection.resume = resume;
}

// A returned direct debit takes back the money of the payment it had settled: the payment and its
// allocation leave the state, so the open balance, the ledger fold and the arrangement's
// instalments see it as never paid.
void DropReturnedPayment(CaseState& state, const std::string& payment_ref) {
  if (payment_ref.empty()) return;
  for (std::size_t i = 0; i < state.payments.size(); ++i) {
    if (state.payments[i].payment_ref != payment_ref) continue;
    state.payments.erase(state.payments.begin() + static_cast<std::ptrdiff_t>(i));
    if (i < state.collection.payments_before_arrangement) {
      --state.collection.payments_before_arrangement;
    }
    break;
  }
  std::erase_if(state.allocations,
                [&](const PaymentAllocated& a) { return a.payment_ref == payment_ref; });
}

}  // namespace

const char* CaseStatusName(CaseStatus status) {
  return status == CaseStatus::kOpen ? "open" : "closed";
}

Money CaseState::PrincipalTotal() const {
  Money total = Money::Zero(currency.value_or(Currency::Eur()));
  for (const Claim& claim : claims) total += claim.principal;
  return total;
}

std::optional<Date> CaseState::OldestDueDate() const {
  std::optional<Date> oldest;
  for (const Claim& claim : claims) {
    if (!oldest || claim.due_date < *oldest) oldest = claim.due_date;
  }
  return oldest;
}

CaseState Apply(CaseState state, const CaseEvent& event) {
  // The store hands events in order; a gap here is a bug in the caller.
  QUITT_CHECK(event.seq == state.last_seq + 1);
  if (event.seq == 1) {
    state.client = event.client;
    state.id = event.case_id;
  }
  QUITT_CHECK(state.id == event.case_id && state.client == event.client);
  std::visit(Overloaded{
                 [&](const CaseOpened& e) {
                   state.customer = e.customer;
                   state.case_number = e.case_number;
                   if (auto currency = Currency::FromCode(e.currency)) state.currency = *currency;
                   state.opened_on = event.effective_date;
                   state.status = CaseStatus::kOpen;
                 },
                 [&](const ClaimAdded& e) { state.claims.push_back(e.claim); },
                 [&](const NoteAdded& e) { state.notes.push_back(e.text); },
                 [&](const CaseClosed& e) {
                   state.status = CaseStatus::kClosed;
                   state.close_reason = e.reason;
                 },
                 [&](const StrategyVariantAssigned& e) {
                   state.collection.strategy_id = e.strategy_id;
                   state.collection.strategy_version = e.strategy_version;
                   state.collection.variant = e.variant;
                   state.collection.variant_index = e.variant_index;
                 },
                 [&](const StepTaken& e) {
                   state.collection.step_id = e.step_id;
                   state.collection.step_index = e.step_index;
                   state.collection.step_due = e.due;
                   state.collection.resume = ResumePoint{};
                   ++state.collection.steps_taken;
                 },
                 [&](const PromiseMade& e) {
                   StartArrangement(state, CollectionProgress::Arrangement::kPromise,
                                    {PlannedInstalment{e.due, e.amount}});
                 },
                 [&](const PromiseKept& e) { EndArrangement(state, e.resume); },
                 [&](const PromiseBroken& e) { EndArrangement(state, e.resume); },
                 [&](const PlanAgreed& e) {
                   StartArrangement(state, CollectionProgress::Arrangement::kPlan, e.instalments);
                 },
                 [&](const PlanBroken& e) { EndArrangement(state, e.resume); },
                 [&](const PlanCompleted& e) { EndArrangement(state, e.resume); },
                 [&](const DisputeRaised&) { state.collection.disputed = true; },
                 [&](const DisputeResolved& e) {
                   state.collection.disputed = false;
                   state.collection.resume = e.resume;
                 },
                 [&](const HardshipFlagged&) { state.collection.hardship = true; },
                 [&](const HardshipCleared& e) {
                   state.collection.hardship = false;
                   state.collection.resume = e.resume;
                 },
                 [&](const PaymentReceived& e) { state.payments.push_back(e); },
                 [&](const PaymentAllocated& e) { state.allocations.push_back(e); },
                 [&](const FeeCharged& e) { state.fees.push_back(e); },
                 [&](const PaymentHeld& e) { state.held.push_back(e); },
                 [&](const MessageDelivery& e) { state.deliveries.push_back(e); },
                 [&](const MandateGiven& e) { state.mandates.push_back(e); },
                 [&](const MandateRevoked& e) { state.mandate_revocations.push_back(e); },
                 [&](const DirectDebitCollected& e) { state.direct_debits.push_back(e); },
                 [&](const DirectDebitReturned& e) {
                   state.direct_debit_returns.push_back(e);
                   DropReturnedPayment(state, e.payment_ref);
                 },
                 [&](const ContactPreferencesChanged& e) { state.contact_preferences = e; },
                 [&](const PortalAccessIssued& e) { state.portal_salt = e.salt; },
             },
             event.payload);
  state.last_seq = event.seq;
  return state;
}

CaseState Fold(const std::vector<CaseEvent>& history) {
  CaseState state;
  for (const CaseEvent& event : history) state = Apply(std::move(state), event);
  return state;
}

}  // namespace quitt::domain
