#pragma once
// SEPA direct debit (SDD Core/B2B) of payment-plan instalments, for customers who gave a mandate.
//
// Mandates are case events (mandate_given, mandate_revoked). `quitt debit --as-of DATE` plans,
// for every case with an active mandate and a payment plan in force, the instalments that fall
// due, writes them into one pain.008.001.08 message (written by the caller before the commit, as
// "<file>.partial", renamed after it) and records a direct_debit_collected event per instalment, so
// a second run adds nothing. The money is posted when the bank statement reports the credit
// (matched by the end-to-end id, confidence 90, the ordinary posting and journal); a return
// (R-transaction with a reason code) is matched back by the end-to-end id and reverses that posting
// (PostDirectDebitReturn, called by the bank import).
//
// Sources: EPC SDD Core Rulebook (EPC016-09) 2023 v1.0: AT-01 mandate reference, AT-25 date of
// signature, pre-notification at least 14 calendar days before the due date unless agreed
// otherwise (PT-04.03), submission at the latest D-1 TARGET2 business day for FRST and RCUR
// (since November 2016), a mandate lapses 36 months after its last collection; DK Anlage 3
// (pain.008.001.08, GBIC_5). docs/payments.md "Direct debit".
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/payments/matcher.h"
#include "app/payments/payment_records.h"
#include "app/payments/remittance.h"
#include "app/ports.h"

namespace quitt::app::payments {

// --- Mandates ------------------------------------------------------------------------------------

struct MandateInput {
  std::string mandate_ref;
  domain::Date signed_on = domain::Date::FromDaysSinceEpoch(0);
  std::string iban;
  std::string bic;     // optional
  std::string holder;  // the account holder's name
  std::string scheme = "CORE";
};

// Checks a mandate (reference per the rulebook, IBAN check digits, BIC shape, holder 1..70
// characters of the pain.008 character rule, scheme CORE/B2B, signature not after `today`) and
// returns the event. Pure.
Result<domain::MandateGiven> CheckMandate(const MandateInput& input, domain::Date today);

// The mandate that collections use now: the last one given that is not revoked on `on`.
std::optional<domain::MandateGiven> ActiveMandate(const domain::CaseState& state, domain::Date on);

// Records mandate_given on the case; refuses a reference the case has used before.
Result<domain::MandateGiven> AddMandate(CaseStore& store, Clock& clock,
                                        const std::string& case_number, const MandateInput& input,
                                        domain::Date today, const std::string& actor);
// Records mandate_revoked (from `on`); the mandate must be active.
Status RevokeMandate(CaseStore& store, Clock& clock, const std::string& case_number,
                     const std::string& mandate_ref, domain::Date on, const std::string& reason,
                     const std::string& actor);

// --- Collection run ------------------------------------------------------------------------------

struct DebitOptions {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  // Instalments due up to as_of + lookahead_days are collected in this run (on their due date
  // when it is late enough, else on the earliest possible collection date).
  int lookahead_days = 7;
  // The customer learns amount and date at least this many calendar days before the collection
  // (EPC rulebook default 14; the plan agreement with its schedule is the pre-notification, so
  // the first collection is at least this long after the plan or the mandate, whichever is later).
  int pre_notification_days = 14;
  // The file reaches the bank at least this many TARGET2 business days before the collection
  // date (D-1 for CORE and B2B).
  int submission_business_days = 1;
  std::string creditor_id;  // validated with domain::payment::ValidateCreditorId
  std::string agency_name = "quitt Inkasso";
  PayoutAccount creditor_account;  // the trust account the money is collected to
  std::string actor = "system:direct-debit";
};

struct PlannedDebit {
  domain::ClientId client;
  domain::CaseId case_id;
  std::string case_number;
  domain::MandateGiven mandate;
  std::string sequence;  // "FRST" or "RCUR"
  domain::Date instalment_due = domain::Date::FromDaysSinceEpoch(0);
  domain::Date collection_date = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string end_to_end_id;
  std::string remittance_text;
};

struct SkippedDebit {
  std::string case_number;
  std::optional<domain::Date> instalment_due;
  std::string reason;
};

// One payment-information block of the pain.008: one scheme, sequence type and date.
struct DebitBlock {
  std::string payment_info_id;
  std::string scheme;    // "CORE" / "B2B"
  std::string sequence;  // "FRST" / "RCUR"
  domain::Date collection_date = domain::Date::FromDaysSinceEpoch(0);
  std::vector<PlannedDebit> debits;
};

// Everything one pain.008 message needs (converted to adapters::banking::DirectDebitFile).
struct DebitFile {
  std::string message_id;
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
  std::string initiating_party;
  std::string creditor_id;
  PayoutAccount creditor_account;
  std::vector<DebitBlock> blocks;
};

struct DebitReport {
  std::vector<PlannedDebit> debits;
  std::vector<SkippedDebit> skipped;
  int already_collected = 0;  // instalments collected by an earlier run
  std::optional<DebitFile> file;
};

// What one case contributes to a run (pure). An instalment is collected whole or not at all: a
// part-paid one, or one above the open balance, is skipped with the reason (the rest needs a new
// pre-notification); a case whose mandate the pain.008 cannot carry is skipped, not the run.
// `plan_agreed_on` is the effective date of the plan in force; `already_collected` counts
// instalments an earlier run collected.
void PlanCaseDebits(const domain::CaseState& state, domain::Date plan_agreed_on,
                    const DebitOptions& options, std::vector<PlannedDebit>& debits,
                    std::vector<SkippedDebit>& skipped, int& already_collected);

// The run: plans every case with a mandate, hands the file to `write_file` before the commit (an
// error rolls everything back), records direct_debit_collected on each case.
Result<DebitReport> RunDirectDebits(CaseStore& store, Clock& clock, const DebitOptions& options,
                                    const std::function<Status(const DebitFile&)>& write_file);

// --- Returns -------------------------------------------------------------------------------------

// "direct debit <end-to-end id>": the match reason a posted direct-debit credit carries, which a
// later return finds the payment by.
std::string DirectDebitMatchReason(const std::string& end_to_end_id);

// A bank entry that reports a returned direct debit of ours: a debit (or reversal) with an
// end-to-end id and a return reason or reversal indicator.
bool LooksLikeDirectDebitReturn(const domain::payment::BankTransaction& transaction);

// The collection a (credit or return) entry refers to, when the case issued that end-to-end id.
const domain::DirectDebitCollected* FindCollection(const domain::CaseState& state,
                                                   const std::string& end_to_end_id);

struct ReturnOutcome {
  bool posted = false;  // reversal booked; otherwise the entry goes to review with `why`
  std::string why;      // explanation for the review list or the entry
};

// Reverses the posting of the returned collection: direct_debit_returned on the case (the fold
// drops the payment, so its instalment is unpaid again), a journal entry "return" that undoes the
// receipt (Cr trust_bank; Dr client_payable and agency_fees as the payment's split), and a
// negative split so client_payable keeps equalling the unremitted splits. Goes to review instead
// when the credit was never posted, was already remitted to the client, had money held for
// refund, closed the case, or the amounts differ. Inside the caller's transaction.
Result<ReturnOutcome> PostDirectDebitReturn(CaseStore& store, Clock& clock, const CaseView& view,
                                            const BankEntry& entry,
                                            const domain::payment::BankTransaction& transaction,
                                            const std::string& actor);

}  // namespace quitt::app::payments
