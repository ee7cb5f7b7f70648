#pragma once
// Case events: the immutable entries of a case history (the "Fallhistorie").
//
// Every change of a case is one event. An event has an envelope (client, case, per-case sequence
// number starting at 1, effective date, recorded-at instant, actor, schema version) and a typed
// payload. The payload types form one std::variant, so a new event type does not compile until
// the fold (case_state.cc) and the codec (case_event_codec.cc) handle it.
//
// Events are chained: each stored event carries SHA-256(previous hash ‖ canonical text of this
// event), the first one chaining on 32 zero bytes. Changing any stored byte of history breaks the
// chain at that event, which `quitt case verify` reports. The canonical text is defined in
// case_event_codec.h and documented in docs/formats/event-store.md.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/sha256.h"
#include "domain/claim.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/party.h"

namespace quitt::domain {

// The case was opened for one customer of one client.
struct CaseOpened {
  CustomerId customer;
  std::string case_number;  // CaseNumber::ToString()
  std::string currency;     // every claim of a case is in this currency
  std::string source;       // how the case came in: "import claims.csv", "api", "demo"
};

// A claim was handed over and joins the case.
struct ClaimAdded {
  Claim claim;
};

// An agent or the client wrote a note into the file.
struct NoteAdded {
  std::string text;
};

enum class CaseCloseReason { kPaid, kRecalled, kWrittenOff, kHandedBack };
const char* CaseCloseReasonName(CaseCloseReason reason);

// The case was closed; no further action is taken on it.
struct CaseClosed {
  CaseCloseReason reason = CaseCloseReason::kPaid;
  std::string remark;
};

// --- Collection (issue 4): the strategy at work and the agreements with the customer. ---
// Steps and variants carry their strategy's id and version and both the stable id and the index
// of the step, so the history reads on its own and the read model folds without the strategy.

// Where the strategy ladder resumes after a pause (promise or plan ended, dispute resolved).
struct ResumePoint {
  std::string step_id;  // empty: nothing pending
  int step_index = -1;  // index in the variant's ladder; -1: nothing pending
  std::optional<Date> due;
};

// The case was put on a strategy and a champion/challenger variant of it.
struct StrategyVariantAssigned {
  std::string strategy_id;
  int strategy_version = 0;
  std::string variant;
  int variant_index = 0;
};

// The daily run took a step of the strategy. `due` is the day the step became due (the effective
// date of the event); `taken_on` the run date, later than `due` after skipped days.
struct StepTaken {
  std::string strategy_id;
  int strategy_version = 0;
  std::string variant;
  std::string step_id;
  int step_index = 0;
  std::string action;  // workflow::ActionKindName: "letter", "email", "call", ...
  std::string template_name;
  Date due = Date::FromDaysSinceEpoch(0);
  Date taken_on = Date::FromDaysSinceEpoch(0);
};

// The customer promised to pay `amount` by `due`.
struct PromiseMade {
  Money amount = Money::Zero(Currency::Eur());
  Date due = Date::FromDaysSinceEpoch(0);
};
// The promise was paid in full on `on`; money still owed resumes the ladder at `resume`.
struct PromiseKept {
  Date on = Date::FromDaysSinceEpoch(0);
  ResumePoint resume;
};
// The promise was not paid within the grace period; the ladder resumes at `resume`.
struct PromiseBroken {
  Date on = Date::FromDaysSinceEpoch(0);
  ResumePoint resume;
};

struct PlannedInstalment {
  Date due = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
};
// A payment plan was agreed: the exact instalments (they sum to `total`).
struct PlanAgreed {
  Money total = Money::Zero(Currency::Eur());
  std::string rhythm;  // "weekly", "fortnightly", "monthly"
  std::vector<PlannedInstalment> instalments;
};
struct PlanBroken {
  Date on = Date::FromDaysSinceEpoch(0);
  ResumePoint resume;
};
struct PlanCompleted {
  Date on = Date::FromDaysSinceEpoch(0);
  ResumePoint resume;
};

// Disputes and hardship stop escalation and costs at once until lifted.
struct DisputeRaised {
  std::string reason;
};
struct DisputeResolved {
  std::string remark;
  ResumePoint resume;
};
struct HardshipFlagged {
  std::string reason;
};
struct HardshipCleared {
  std::string remark;
  ResumePoint resume;
};

// --- Money on the case (issue 5: bank payments, allocation, refunds). Plain domain types only:
// the ledger's own types live above quitt_domain; app/payments converts.

// Money for this case arrived on the trust account (matched from a bank statement or assigned by
// an agent from the review list).
struct PaymentReceived {
  std::string payment_ref;  // the bank entry key (unique), or "manual:<id>"
  Date booked_on = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  std::string payer_name;
  std::string payer_iban;
  std::string remittance;    // the remittance text as the bank gave it
  std::string match_reason;  // "creditor reference", "assigned by user:anna", ...
  int confidence = 0;        // 0..100
};

// One piece of an allocated payment.
struct AllocatedPart {
  ClaimId claim;
  std::string bucket;  // "costs", "interest", "principal"
  Money amount = Money::Zero(Currency::Eur());
  std::string rule;    // e.g. "§ 367(1) BGB: costs, then interest, then principal"
  std::string source;  // where the rule is written down
};

// How a received payment was split by the jurisdiction's rules (§§ 366, 367 BGB in Germany).
// Invariant: sum(parts) + surplus == amount.
struct PaymentAllocated {
  std::string payment_ref;
  Date date = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  std::vector<AllocatedPart> parts;
  Money surplus = Money::Zero(Currency::Eur());
};

// Collection work was charged to the case; the ledger derives the fee lines and caps from it.
struct FeeCharged {
  std::string fee_ref;
  Date date = Date::FromDaysSinceEpoch(0);  // when the work was done; picks the fee table
  std::string kind;                         // "business_fee", "settlement_fee"
  std::string course;  // "paid_on_first_demand", "regular", "extensive_or_difficult", "disputed"
  std::optional<Money> charged;  // what the agency bills (capped by the ledger)
  std::optional<Money> value;    // value of the matter; absent: the principals
  std::vector<ClaimId> claims;   // empty: every claim of the case
};

// Money of a payment kept apart for refund to the payer: an overpayment's excess, or a payment
// for a closed case.
struct PaymentHeld {
  std::string payment_ref;
  Money amount = Money::Zero(Currency::Eur());
  std::string reason;  // "overpayment", "case_closed"
};

// --- Reaching the customer (issue 6): one event per delivery state change of an outbox message.
// The state is a plain word (app/letters/delivery.h: queued, sent, delivered, bounced, opened,
// failed) because the domain does not know the channels' adapters.
struct MessageDelivery {
  std::string message_key;  // the outbox message's key; one message, several attempts
  std::string channel;      // "letter", "email", "sms": the channel of this attempt
  int attempt = 1;          // 1, 2, ... across channels (a bounce moves the next attempt on)
  std::string state;
  std::string detail;           // SMTP answer, file written, reason of a failure or refusal
  std::string template_id;      // "de/reminder_1.email"
  std::string template_sha256;  // hash of the template file that produced the wording
};

// --- SEPA direct debit (issue 5): the customer's mandate and the instalments collected by it
// (EPC SDD Core rulebook; docs/payments.md "Direct debit").

// The customer signed a SEPA direct-debit mandate for the agency's creditor identifier.
struct MandateGiven {
  std::string mandate_ref;  // unique mandate reference (AT-01), 1..35 SEPA characters
  Date signed_on = Date::FromDaysSinceEpoch(0);
  std::string iban;    // the customer's account, electronic form
  std::string bic;     // optional within SEPA
  std::string holder;  // account holder, may differ from the customer
  std::string scheme;  // "CORE" (consumers) or "B2B"
};

// The customer (or the agency) revoked a mandate; nothing is collected by it from `on`.
struct MandateRevoked {
  std::string mandate_ref;
  Date on = Date::FromDaysSinceEpoch(0);
  std::string reason;
};

// An instalment was put into a pain.008 file for collection on `collection_date`.
struct DirectDebitCollected {
  std::string end_to_end_id;  // unique; the bank reports it back on the credit and any return
  std::string mandate_ref;
  std::string sequence;  // "FRST" or "RCUR"
  Date instalment_due = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  Date collection_date = Date::FromDaysSinceEpoch(0);
  std::string message_id;  // the pain.008 file
};

// The customer's bank returned a collected direct debit (R-transaction with an ISO reason code).
// The payment it had settled (`payment_ref`, empty when the credit was never posted) no longer
// counts: the fold drops it, so its allocation is re-folded away and the instalment is unpaid.
struct DirectDebitReturned {
  std::string end_to_end_id;
  std::string payment_ref;
  std::string return_ref;  // the bank entry that reported the return
  Date returned_on = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  std::string reason_code;  // "AM04", "MD06", "MS02", ...
};

// --- Reaching the customer (issue 6), continued.
// The customer's contact preferences as they stand after this change: a full replacement, so the
// latest event is the current state. Channels are the words "letter", "email", "sms", "phone",
// comma separated (no lists in the canonical payloads).
struct ContactPreferencesChanged {
  std::string opted_out;     // "sms,phone": never contact this way
  std::string preferred;     // "email,letter": in this order when a channel is chosen
  int earliest_minute = -1;  // the customer's own window in local time; -1 = none
  int latest_minute = -1;    // first minute no longer allowed; -1 = none
  std::string source;        // "phone call, agent anna", "portal", "letter of 2026-03-04"
  Date on = Date::FromDaysSinceEpoch(0);  // when the customer said so
};

// Portal access (re)issued: a random salt (CSPRNG) from which, with the server's secret, the
// case's portal PIN is derived (app/delivery/portal_access.h). The PIN itself is never stored.
struct PortalAccessIssued {
  std::string salt;  // 32 lowercase hex characters
};

using CaseEventPayload =
    std::variant<CaseOpened, ClaimAdded, NoteAdded, CaseClosed, StrategyVariantAssigned, StepTaken,
                 PromiseMade, PromiseKept, PromiseBroken, PlanAgreed, PlanBroken, PlanCompleted,
                 DisputeRaised, DisputeResolved, HardshipFlagged, HardshipCleared, PaymentReceived,
                 PaymentAllocated, FeeCharged, PaymentHeld, MessageDelivery, MandateGiven,
                 MandateRevoked, DirectDebitCollected, DirectDebitReturned,
                 ContactPreferencesChanged, PortalAccessIssued>;

// "case_opened", "claim_added", ...: the stored type name.
const char* EventTypeName(const CaseEventPayload& payload);
// Schema version of the payload's current shape; bumped when a payload changes incompatibly (old
// versions stay readable, see docs/formats/event-store.md).
int EventSchemaVersion(const CaseEventPayload& payload);

struct CaseEvent {
  ClientId client;
  CaseId case_id;
  std::int64_t seq = 0;                               // 1, 2, 3 ... within the case, no gaps
  Date effective_date = Date::FromDaysSinceEpoch(0);  // the business date the event takes effect
  Timestamp recorded_at = Timestamp::FromUnixMicros(0);
  std::string actor;  // "user:anna", "import:claims.csv", "system:daily-run"
  CaseEventPayload payload;
};

// A CaseEvent as stored: the exact payload text that was hashed, and the chain hashes.
struct StoredCaseEvent {
  CaseEvent event;
  std::string type;
  int schema_version = 1;
  std::string payload_json;
  Sha256Digest previous_hash{};
  Sha256Digest hash{};
};

}  // namespace quitt::domain
