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
