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

// Where the collection of a case stands, folded from the collection events (issue 4). The app
// turns it into workflow::CaseFacts; the daily run keeps the same values in a read model.
struct CollectionProgress {
  enum class Arrangement { kNone, kPromise, kPlan };
  std::string strategy_id;  // empty until a variant is assigned
  int strategy_version = 0;
  std::string variant;
  int variant_index = -1;
  std::string step_id;  // the last step taken; empty: none yet
  int step_index = -1;
  std::optional<Date> step_due;  // its due date
  ResumePoint resume;            // cleared by the next step taken
  bool disputed = false;
  bool hardship = false;
  Arrangement arrangement = Arrangement::kNone;
  std::vector<PlannedInstalment> arrangement_dues;  // a promise: one entry
  std::size_t payments_before_arrangement = 0;      // CaseState::payments before it was agreed
  std::int64_t steps_taken = 0;
};

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
  CollectionProgress collection;
  // Money on the case (issue 5), in event order; the ledger (app/payments) turns them into a
  // statement.
  std::vector<PaymentReceived> payments;
  std::vector<PaymentAllocated> allocations;
  std::vector<FeeCharged> fees;
  std::vector<PaymentHeld> held;
  // Delivery of outbox messages (issue 6), in event order: what was sent, bounced, failed.
  std::vector<MessageDelivery> deliveries;
  // SEPA direct debit (issue 5), in event order; app/payments/direct_debit decides from them.
  std::vector<MandateGiven> mandates;
  std::vector<MandateRevoked> mandate_revocations;
  std::vector<DirectDebitCollected> direct_debits;
  std::vector<DirectDebitReturned> direct_debit_returns;
  // Contact preferences and portal access (issue 6): the latest change wins.
  std::optional<ContactPreferencesChanged> contact_preferences;
  std::string portal_salt;  // empty until a PIN was issued

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
