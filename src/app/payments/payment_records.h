#pragma once
// The stored records of money handling (issue 5): bank entries, the review list, the trust
// account's double-entry journal, the split of each posted payment between client and agency,
// remittances and client terms. Header-only: app/ports.h includes it for the CaseStore methods,
// so storage adapters need no link to quitt_app_payments.
//
// Money is integer minor units (`*_minor`) plus the ISO 4217 code of its row; every row that
// belongs to a client carries its client id (0 = the agency itself: suspense, refunds).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/money.h"

namespace quitt::app {

inline constexpr std::int64_t kAgencyClientId = 0;

// Where a bank entry stands. Every entry ends in one of these; nothing is dropped.
enum class BankEntryState {
  kPosted,       // matched and allocated to a case (payment_received + payment_allocated)
  kReview,       // an agent decides (quitt bank review / assign)
  kHeld,         // held for refund: the case was closed (an overpayment's excess is a hold too,
                 // but the entry itself is posted)
  kNotIncoming,  // a debit (our own payout) or not booked: stored for the record only
};
inline const char* BankEntryStateName(BankEntryState state) {
  switch (state) {
    case BankEntryState::kPosted: return "posted";
    case BankEntryState::kReview: return "review";
    case BankEntryState::kHeld: return "held";
    case BankEntryState::kNotIncoming: return "not_incoming";
  }
  return "review";
}
inline std::optional<BankEntryState> ParseBankEntryState(const std::string& text) {
  for (auto s : {BankEntryState::kPosted, BankEntryState::kReview, BankEntryState::kHeld,
                 BankEntryState::kNotIncoming}) {
    if (text == BankEntryStateName(s)) return s;
  }
  return std::nullopt;
}

// One bank transaction as stored: unique by `entry_key` (domain::payment::MakeTransactionKey),
// so reading a statement twice adds nothing.
struct BankEntry {
  std::int64_t entry_id = 0;  // assigned by the store
  std::string entry_key;
  std::string account_iban;
  std::string statement_id;
  std::string format;  // "camt.053.001.08", "MT940", ...
  std::string source;  // the file it was read from
  domain::Date booking_date = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());  // positive
  bool credit = true;
  bool reversal = false;
  std::string counterparty_name;
  std::string counterparty_iban;
  std::string end_to_end_id;
  std::string creditor_reference;
  std::string remittance;
  BankEntryState state = BankEntryState::kReview;
  domain::ClientId client{kAgencyClientId};  // the client of the matched case, else 0
  domain::CaseId case_id{0};
  std::string case_number;
  std::string match_reason;
  int confidence = 0;
  std::string explanation;  // why it was matched, or why it waits for review
  std::string candidates;   // case numbers the rules proposed, comma separated
  domain::Timestamp imported_at = domain::Timestamp::FromUnixMicros(0);
};

// Accounts of the trust ledger (see docs/payments.md). Client-specific accounts are the same
// names with the client id on the line.
inline constexpr const char* kAccountTrustBank = "trust_bank";            // asset
inline constexpr const char* kAccountClientPayable = "client_payable";    // owed to a client
inline constexpr const char* kAccountAgencyFees = "agency_fees";          // earned, not withdrawn
inline constexpr const char* kAccountRefundsPayable = "refunds_payable";  // owed to payers
inline constexpr const char* kAccountSuspense = "suspense";  // received, not yet assigned
inline constexpr const char* kAccountAgencyOperating = "agency_operating";  // withdrawn fees

struct JournalLine {
  std::string account;
  domain::ClientId client{kAgencyClientId};
  std::int64_t debit_minor = 0;
  std::int64_t credit_minor = 0;
};

// A balanced journal entry; (kind, reference) is unique so a replay records nothing twice.
struct JournalEntry {
  domain::ClientId client{kAgencyClientId};  // whose money moved (0: not yet known)
  std::int64_t journal_id = 0;               // assigned by the store
  domain::Date date = domain::Date::FromDaysSinceEpoch(0);
  std::string kind;  // "receipt", "assignment", "hold", "remittance", "refund", "fee_withdrawal"
  std::string reference;
  std::string memo;
  std::string currency = "EUR";
  std::vector<JournalLine> lines;
};

struct AccountTotal {
  std::string account;
  domain::ClientId client{kAgencyClientId};
  std::string currency;
  std::int64_t debit_minor = 0;
  std::int64_t credit_minor = 0;
};

struct JournalTotals {
  std::int64_t entries = 0;
  std::int64_t lines = 0;
  std::vector<AccountTotal> accounts;                // per account, client and currency
  std::vector<std::int64_t> unbalanced_journal_ids;  // entries whose debits != credits
};

// What one posted payment means for the client: the part allocated to the case (the held part
// is not here), split into the client's money, the agency's commission and the collection costs
// the agency keeps. amount == to_client + commission + agency_costs.
struct PaymentSplit {
  domain::ClientId client;
  std::int64_t split_id = 0;  // assigned by the store
  domain::CaseId case_id;
  std::string case_number;
  std::string payment_ref;
  domain::Date date = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  domain::Money to_client = domain::Money::Zero(domain::Currency::Eur());
  domain::Money commission = domain::Money::Zero(domain::Currency::Eur());
  domain::Money agency_costs = domain::Money::Zero(domain::Currency::Eur());
  domain::Money principal = domain::Money::Zero(domain::Currency::Eur());
  domain::Money interest = domain::Money::Zero(domain::Currency::Eur());
  domain::Money costs = domain::Money::Zero(domain::Currency::Eur());
  std::optional<std::int64_t> remittance_id;  // set once; never remitted twice
};

struct Remittance {
  domain::ClientId client;
  std::int64_t remittance_id = 0;  // assigned by the store
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  domain::Money total = domain::Money::Zero(domain::Currency::Eur());  // paid to the client
  domain::Money commission = domain::Money::Zero(domain::Currency::Eur());
  domain::Money agency_costs = domain::Money::Zero(domain::Currency::Eur());
  int items = 0;
  std::string message_id;  // of the pain.001 file
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
};

enum class RemittanceRhythm { kDaily, kWeekly, kMonthly };
inline const char* RemittanceRhythmName(RemittanceRhythm rhythm) {
  switch (rhythm) {
    case RemittanceRhythm::kDaily: return "daily";
    case RemittanceRhythm::kWeekly: return "weekly";
    case RemittanceRhythm::kMonthly: return "monthly";
  }
  return "monthly";
}
inline std::optional<RemittanceRhythm> ParseRemittanceRhythm(const std::string& text) {
  for (auto r : {RemittanceRhythm::kDaily, RemittanceRhythm::kWeekly, RemittanceRhythm::kMonthly}) {
    if (text == RemittanceRhythmName(r)) return r;
  }
  return std::nullopt;
}

// A client's terms with the agency.
struct ClientTerms {
  domain::ClientId client;
  // Commission on collected principal and interest, in basis points (1500 = 15 %).
  std::int32_t commission_bp = 0;
  // Collection costs the customer paid: kept by the agency (its fee), or passed to the client
  // (when the client pays the agency's fees itself).
  bool agency_keeps_collection_costs = true;
  // The client bears collection costs the customer never pays (informational for invoicing;
  // not booked on the trust account).
  bool client_bears_uncollected_costs = false;
  bool client_can_deduct_vat = true;  // decides whether VAT is claimed from the customer
  RemittanceRhythm rhythm = RemittanceRhythm::kMonthly;
  std::int64_t min_remittance_minor = 0;  // smaller balances wait for the next remittance
  std::string payout_name;
  std::string payout_iban;
  std::string payout_bic;
};

// Money of a payment held for refund to the payer (a closed case, an overpayment's excess).
struct RefundHold {
  domain::ClientId client;
  std::int64_t hold_id = 0;  // assigned by the store
  domain::CaseId case_id;
  std::string case_number;
  std::string payment_ref;  // unique with the client: one hold per payment
  domain::Date date = domain::Date::FromDaysSinceEpoch(0);
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string reason;  // "overpayment", "case_closed"
  std::string payer_name;
  std::string payer_iban;
  std::optional<std::string> refunded_in;  // message id of the pain.001 that paid it back
};

// What the matcher needs about a case (one row per case of every client).
struct MatchIndexRow {
  domain::ClientId client;
  domain::CaseId case_id;
  std::string case_number;
  bool closed = false;
  std::string customer_name;
  std::string customer_iban;  // empty when unknown
  // What the customer owed at the last posting (or the principal plus client costs before any
  // payment); interest accrues after that, so name + amount matching uses it as a hint only.
  domain::Money open_balance = domain::Money::Zero(domain::Currency::Eur());
};

inline Status PaymentsNotOnThisStore(const char* what) {
  return FailedPrecondition(std::string("this store does not support payments yet (") + what + ")");
}

}  // namespace quitt::app
