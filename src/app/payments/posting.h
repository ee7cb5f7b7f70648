#pragma once
// Posting a payment to a case. PlanPosting is pure: from the case's folded state, the client's
// terms and the payment it decides the case events (payment_received, payment_allocated by the
// jurisdiction's rules, payment_held for an overpayment's excess or a closed case, case_closed
// when nothing is owed any more), the split between client and agency, and the balanced journal
// entry of the trust account. PostPayment applies a plan to the store inside the caller's
// transaction, so events, journal, split and hold are written together or not at all.
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/payments/case_ledger.h"
#include "app/payments/payment_records.h"
#include "app/ports.h"
#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::app::payments {

struct IncomingPayment {
  std::string payment_ref;  // the bank entry key, or "manual:..."
  domain::Date booked_on = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string payer_name;
  std::string payer_iban;
  std::string remittance;
  std::string match_reason;
  int confidence = 0;
};

struct PostingOptions {
  bool allow_provisional_base_rate = false;
  // The money was booked to the suspense account when it arrived (review list) and is now
  // assigned: the journal entry moves it out of suspense instead of debiting the bank again.
  bool from_suspense = false;
  std::string actor = "system:bank-import";
};

struct PostingPlan {
  std::vector<domain::CaseEventPayload> events;
  std::optional<domain::PaymentAllocation> allocation;  // absent for a closed case
  std::optional<PaymentSplit> split;                    // absent when nothing was allocated
  std::optional<RefundHold> hold;
  JournalEntry journal;
  bool closes_case = false;
  domain::Money open_after = domain::Money::Zero(domain::Currency::Eur());
  BankEntryState entry_state = BankEntryState::kPosted;  // kHeld for a closed case
  std::vector<std::string> notes;  // e.g. "interest after 2026-06-30 is provisional"
};

// The client's terms, or the defaults (no commission, agency keeps collection costs, monthly).
ClientTerms TermsOrDefault(const std::optional<ClientTerms>& terms, domain::ClientId client);

// Fails (nothing to record) when the currency differs from the case's or the ledger cannot
// compute the allocation (e.g. an unpublished base rate without allow_provisional_base_rate).
Result<PostingPlan> PlanPosting(const domain::Jurisdiction& jurisdiction,
                                const domain::CaseState& state, domain::CustomerKind customer_kind,
                                const ClientTerms& terms, const IncomingPayment& payment,
                                const PostingOptions& options);

// The journal entry of money that arrived but is not assigned to a case yet (review list).
JournalEntry SuspenseReceipt(const std::string& payment_ref, domain::Date date,
                             const domain::Money& amount);

// Loads the case, plans and writes everything. Call inside store.Begin() ... Commit().
Result<PostingPlan> PostPayment(CaseStore& store, Clock& clock,
                                const domain::Jurisdiction& jurisdiction,
                                const std::string& case_number, const IncomingPayment& payment,
                                const PostingOptions& options);

// Seals `payloads` onto the case's hash chain and writes them with the case's read model, inside
// the caller's transaction (AppendToCase opens its own).
Status WriteCaseEvents(CaseStore& store, domain::Timestamp now, const CaseView& view,
                       std::vector<domain::CaseEventPayload> payloads, domain::Date effective_date,
                       const std::string& actor);

// Seals the plan's events onto the case and writes them with the read model, journal, split,
// hold and open balance. Inside a transaction.
Status ApplyPosting(CaseStore& store, Clock& clock, const CaseView& view, const PostingPlan& plan,
                    domain::Date effective_date, const std::string& actor);

}  // namespace quitt::app::payments
