#pragma once
// CaseState: what a case is now, derived only from its events by a pure fold.
// Apply() handles every event type (std::visit over the payload variant), so a new event type
// does not compile until its effect on the state is written down here.
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case_event.h"

namespace quitt::domain {

enum class CaseStatus { kOpen, kClosed };
const char* CaseStatusName(CaseStatus status);

struct CaseState {
  ClientId client;
  CaseId id;
  CustomerId customer;
  std::string case_number;
  std::optional<Currency> currency;
  CaseStatus status = CaseStatus::kOpen;
  std::optional<CaseCloseReason> close_reason;
  std::optional<Date> opened_on;
  std::vector<Claim> claims;
  std::vector<std::string> notes;
  std::int64_t last_seq = 0;

  // Sum of the principal of every claim handed over (not reduced by payments: that is the
  // ledger's job). Zero in EUR for a case without claims.
  Money PrincipalTotal() const;
  // The earliest due date of its claims, when it has any.
  std::optional<Date> OldestDueDate() const;
};

// The state after `event`. Checks (bugs, not input errors) that the event belongs to this case
// and continues its sequence.
CaseState Apply(CaseState state, const CaseEvent& event);

// Folds a whole history in order.
CaseState Fold(const std::vector<CaseEvent>& history);

}  // namespace quitt::domain
