#pragma once
// The ports the use cases need. Adapters implement them (SQLite now, PostgreSQL later); tests
// use the same contract suite against every implementation (tests/store_contract.h).
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/payments/payment_records.h"
#include "common/status.h"
#include "domain/case_event.h"
#include "domain/case_state.h"
#include "domain/party.h"
#include "workflow/decide.h"

namespace quitt::app {

using domain::CaseId;
using domain::ClaimId;
using domain::ClientId;
using domain::CustomerId;

// The only way into the wall clock. The composition root passes the system clock; tests and
// `--now` pass a fixed one.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual domain::Timestamp Now() = 0;
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(domain::Timestamp now) : now_(now) {}
  domain::Timestamp Now() override { return now_; }
  void Advance(std::int64_t seconds) { now_ = now_.AddSeconds(seconds); }

 private:
  domain::Timestamp now_;
};

// The read model of one case: what lists and searches show without folding the history.
// Kept up to date in the same transaction as the events.
struct CaseSummary {
  ClientId client;
  CaseId id;
  std::string case_number;
  CustomerId customer;
  std::string customer_name;
  domain::CustomerKind customer_kind = domain::CustomerKind::kConsumer;
  domain::CaseStatus status = domain::CaseStatus::kOpen;
  domain::Money principal = domain::Money::Zero(domain::Currency::Eur());
  int claim_count = 0;
  domain::Date opened_on = domain::Date::FromDaysSinceEpoch(0);
  std::optional<domain::Date> oldest_due_date;
  std::int64_t last_seq = 0;
  Sha256Digest last_hash{};
  domain::Timestamp updated_at = domain::Timestamp::FromUnixMicros(0);
};

// Filters of `quitt cases list` and the API; empty fields do not filter.
struct CaseFilter {
  std::optional<ClientId> client;
  std::optional<domain::CaseStatus> status;
  std::optional<domain::CustomerKind> customer_kind;
  std::optional<std::int64_t> min_principal_minor;
  std::optional<std::int64_t> max_principal_minor;
  std::optional<domain::Date> opened_from;
  std::optional<domain::Date> opened_to;
  std::string customer_name_contains;
  std::optional<CaseId> after;  // cursor: cases with a greater id
  int limit = 50;
};

// What the import needs to know about a client's existing data to decide every row in memory.
struct ImportIndex {
  struct KnownClaim {
    KnownClaim() = default;
    KnownClaim(ClaimId claim, CaseId in_case, std::int64_t principal, std::string_view currency)
        : id(claim), case_id(in_case), principal_minor(principal) {
      // ISO 4217 codes have three letters; a longer stored value (not written by quitt) is cut,
      // which still compares unequal to every code.
      currency_size_ = static_cast<std::uint8_t>(std::min(currency.size(), currency_.size()));
      std::copy_n(currency.begin(), currency_size_, currency_.begin());
    }
    ClaimId id;
    CaseId case_id;
    std::int64_t principal_minor = 0;
    std::string_view currency() const { return {currency_.data(), currency_size_}; }

   private:
    // Inline, not a std::string: an import of a million claims holds a million of these.
    std::array<char, 7> currency_{};
    std::uint8_t currency_size_ = 0;
  };
  absl::flat_hash_map<std::string, KnownClaim> claims_by_ref;     // client_ref → claim
  absl::flat_hash_map<std::string, CustomerId> customers_by_ref;  // customer_ref → id
  std::vector<CaseSummary> open_cases;                            // the client's open cases
  std::unordered_map<std::int64_t, int> case_count_by_customer;   // for "repeat customer"
};

// --- The daily run (issue 4): collection read model, outbox, run partitions. ---

// What the strategy decision needs about one open case, kept beside its events so the daily run
// never folds a history. Built by app::BuildCollectionRow from the folded case; updated by the run
// with workflow::ApplyDecision. Keyed like the case.
struct CollectionRow {
  ClientId client;
  CaseId id;
  bool open = true;
  std::string strategy_id;  // chosen by customer kind when the case is first seen
  std::int32_t strategy_version = 0;
  workflow::CaseFacts facts;    // facts.case_id == id.value()
  std::int64_t synced_seq = 0;  // the last event of the case this row reflects
  // The run skips the case before this day (nothing can fall due earlier without a new event).
  domain::Date next_check_on = domain::Date::FromDaysSinceEpoch(0);
};

// A row the run must decide, with what it needs to append to the case's history.
struct DueCase {
  CollectionRow row;
  std::string case_number;
  std::int64_t last_seq = 0;
  Sha256Digest last_hash{};
};

// A case whose collection row is missing or behind its history (cases.last_seq != synced_seq).
struct CollectionCandidate {
  CaseSummary summary;
  domain::Customer customer;  // kind, address, e-mails and phones: the reachable channels
  bool repeat_customer = false;
  bool has_row = false;
};

// New last event of a case, written by the run without rebuilding the whole case summary.
struct CaseHead {
  ClientId client;
  CaseId id;
  std::int64_t last_seq = 0;
  Sha256Digest last_hash{};
  domain::Timestamp updated_at = domain::Timestamp::FromUnixMicros(0);
  bool closed = false;  // the run closed the case (hand-back, write-off)
};

struct NextCheck {
  ClientId client;
  CaseId id;
  domain::Date next_check_on = domain::Date::FromDaysSinceEpoch(0);
};

// One outgoing action for a channel adapter.
struct OutboxMessage {
  ClientId client;
  std::string message_key;  // stable: "<case number>/<strategy>/<step id>/<due date>"
  CaseId case_id;
  std::string case_number;
  std::string channel;  // workflow::ActionKindName
  std::string template_name;
  domain::Date due = domain::Date::FromDaysSinceEpoch(0);
  domain::Date run_date = domain::Date::FromDaysSinceEpoch(0);
  std::int64_t event_seq = 0;
  std::string status = "pending";
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
};

// The partition of the daily run a case belongs to: blocks of 1,024 consecutive case ids modulo
// the partition count, so one batch of a partition writes neighbouring pages of the case tables
// (plain modulo would make every batch touch every page).
inline int RunPartitionOf(CaseId id, int partitions) {
  return static_cast<int>((id.value() / 1024) % partitions);
}

// One partition of the daily run of one client and date.
struct RunPartition {
  ClientId client;
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  int partition = 0;
  int partitions = 1;
  std::string status = "pending";  // pending, running, done
  std::string worker;
  domain::Timestamp lease_until = domain::Timestamp::FromUnixMicros(0);
  CaseId after_case;  // cursor: cases up to this id are done
  std::int64_t cases_seen = 0;
  std::int64_t actions = 0;
};

// One atomic group of writes. The store applies it inside the current transaction.
struct WriteBatch {
  std::vector<domain::Customer> new_customers;
  std::vector<domain::Claim> new_claims;
  std::vector<domain::StoredCaseEvent> events;
  // Insert-or-replace of the read model of every case the events touched.
  std::vector<CaseSummary> case_summaries;
  // Daily run: insert-or-replace of collection rows, new last events of cases, cheap updates of
  // next_check_on, outbox messages (an existing message key is left as it is).
  std::vector<CollectionRow> collection_rows;
  std::vector<CaseHead> case_heads;
  std::vector<NextCheck> next_checks;
  std::vector<OutboxMessage> outbox;
  bool empty() const {
    return new_customers.empty() && new_claims.empty() && events.empty() &&
           case_summaries.empty() && collection_rows.empty() && case_heads.empty() &&
           next_checks.empty() && outbox.empty();
  }
};

// A transaction on the store. Destroying it without Commit() rolls back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Status Commit() = 0;
};

enum class IdKind { kCustomer, kCase, kClaim };

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Writing. Begin() takes the store's write lock (SQLite: BEGIN IMMEDIATE).
  virtual Result<std::unique_ptr<Transaction>> Begin() = 0;
  // Applies a batch inside the current transaction. An event whose (client, case, seq) exists
  // already fails with kAborted (another writer won the race).
  virtual Status Write(const WriteBatch& batch) = 0;
  // Reserves `count` consecutive new ids of a kind; returns the first. Ids are never reused,
  // also when the transaction that reserved them rolls back (gaps are fine).
  virtual Result<std::int64_t> ReserveIds(IdKind kind, std::int64_t count) = 0;
  // Gives back the unused tail [first_unused, end) of the last reservation, when nobody reserved
  // after it, so ids (and case numbers) stay dense. Call inside the reserving transaction.
  virtual Status ReleaseIds(IdKind kind, std::int64_t first_unused, std::int64_t end) = 0;

  // Clients.
  virtual Result<domain::Client> AddClient(const domain::Client& client) = 0;
  virtual Result<std::optional<domain::Client>> FindClientByCode(const std::string& code) = 0;
  virtual Result<std::optional<domain::Client>> FindClient(ClientId id) = 0;
  virtual Result<std::vector<domain::Client>> ListClients() = 0;

  // Customers.
  virtual Result<std::optional<domain::Customer>> FindCustomer(ClientId client, CustomerId id) = 0;

  // Cases.
  virtual Result<std::optional<CaseSummary>> FindCaseByNumber(const std::string& case_number) = 0;
  virtual Result<std::optional<CaseSummary>> FindCase(ClientId client, CaseId id) = 0;
  virtual Result<std::vector<CaseSummary>> ListCases(const CaseFilter& filter) = 0;
  // The stored history of a case, in sequence order; payloads as stored (see domain::Unseal).
  virtual Result<std::vector<domain::StoredCaseEvent>> LoadHistory(ClientId client, CaseId id) = 0;
  // Calls `visit` for every case id of a client (or all clients), in id order; for verify --all.
  virtual Status ForEachCase(std::optional<ClientId> client,
                             const std::function<Status(const CaseSummary&)>& visit) = 0;

  // Everything the claim import of one client needs to decide rows in memory.
  virtual Result<ImportIndex> LoadImportIndex(ClientId client) = 0;
  // The same for some references only: the claims with these client references, the customers
  // with these customer references and those customers' open cases (case_count_by_customer stays
  // empty). What an import of a few rows into a client of millions of claims needs, and what a
  // look-up of one claim by its reference needs.
  virtual Result<ImportIndex> LoadImportIndexFor(ClientId client,
                                                 const std::vector<std::string>& claim_refs,
                                                 const std::vector<std::string>& customer_refs) = 0;
  // The client's claims, counted up to `up_to` (the count stops there: a bounded look).
  virtual Result<std::int64_t> CountClaims(ClientId client, std::int64_t up_to) = 0;

  // --- The daily run (issue 4). Stores that do not have it yet say so (FailedPrecondition). ---

  // Cases whose collection row is missing (open cases only) or behind the case history, after the
  // (client, case) cursor, in key order. Call inside a transaction, so no other writer changes
  // them before the rebuilt rows are written.
  virtual Result<std::vector<CollectionCandidate>> ListCollectionCandidates(ClientId after_client,
                                                                            CaseId after_case,
                                                                            int limit);
  virtual Result<std::optional<CollectionRow>> FindCollectionRow(ClientId client, CaseId id);
  // Whether the customer had a case with this client before `id`.
  virtual Result<bool> IsRepeatCustomer(ClientId client, CustomerId customer, CaseId id);
  // Open rows of one client that the run must decide on `as_of` (next_check_on <= as_of), of
  // partition `partition` (RunPartitionOf), with case_id > `after`, in id order.
  virtual Result<std::vector<DueCase>> LoadDueCases(ClientId client, domain::Date as_of,
                                                    int partitions, int partition, CaseId after,
                                                    int limit);
  // Creates the partitions of the run of `as_of` for every client with open collection rows,
  // unless the run of that date exists already; returns the partition count in effect (the
  // existing one for an existing run). Runs in its own transaction.
  virtual Result<int> PlanRun(domain::Date as_of, int partitions);
  // Atomically claims one partition of the run of `as_of`: a pending one, else a running one whose
  // lease ended before `now` (its worker died), else with `take_over` any running one. Runs in its
  // own transaction. nullopt: nothing left to claim.
  virtual Result<std::optional<RunPartition>> ClaimRunPartition(domain::Date as_of,
                                                                const std::string& worker,
                                                                domain::Timestamp now,
                                                                domain::Timestamp lease_until,
                                                                bool take_over);
  // Saves cursor, counts, status and lease of a partition inside the current transaction.
  virtual Status SaveRunPartition(const RunPartition& partition);
  virtual Result<std::vector<RunPartition>> ListRunPartitions(domain::Date as_of);
  // Outbox messages in key order (client, message key), after the cursor; all clients when
  // `client` is empty.
  virtual Result<std::vector<OutboxMessage>> ListOutbox(std::optional<ClientId> client,
                                                        std::optional<CaseId> case_id,
                                                        const std::string& after_key, int limit);

  // --- Payments (issue 5; records in app/payments/payment_records.h). Not pure, like the daily
  // run: a store without them refuses with FailedPrecondition. Call writes inside Begin()/Commit().

  // Stores the entry unless its key is known; false (nothing changed) for a known key. Sets
  // entry.entry_id.
  virtual Result<bool> InsertBankEntry(BankEntry& entry) {
    (void)entry;
    return PaymentsNotOnThisStore("InsertBankEntry");
  }
  // Updates state, client, case and match fields of a stored entry.
  virtual Status UpdateBankEntry(const BankEntry& entry) {
    (void)entry;
    return PaymentsNotOnThisStore("UpdateBankEntry");
  }
  virtual Result<std::optional<BankEntry>> FindBankEntry(std::int64_t entry_id) {
    (void)entry_id;
    return PaymentsNotOnThisStore("FindBankEntry");
  }
  // Entries in `state` (all when empty), in entry order, after `after_id`.
  virtual Result<std::vector<BankEntry>> ListBankEntries(std::optional<BankEntryState> state,
                                                         std::int64_t after_id, int limit) {
    (void)state, (void)after_id, (void)limit;
    return PaymentsNotOnThisStore("ListBankEntries");
  }
  // Records a balanced entry (the store refuses an unbalanced one with InvalidArgument and a
  // repeated (kind, reference) with AlreadyExists). Sets entry.journal_id.
  virtual Status AddJournalEntry(JournalEntry& entry) {
    (void)entry;
    return PaymentsNotOnThisStore("AddJournalEntry");
  }
  // Totals per account, client and currency, and the entries whose lines do not balance.
  virtual Result<JournalTotals> SumJournal() { return PaymentsNotOnThisStore("SumJournal"); }
  virtual Status AddPaymentSplit(PaymentSplit& split) {
    (void)split;
    return PaymentsNotOnThisStore("AddPaymentSplit");
  }
  // Splits of a client not yet remitted, dated on or before `as_of`, in split order.
  virtual Result<std::vector<PaymentSplit>> ListUnremittedSplits(ClientId client,
                                                                 domain::Date as_of) {
    (void)client, (void)as_of;
    return PaymentsNotOnThisStore("ListUnremittedSplits");
  }
  // Records a remittance and marks its splits; kAborted when any of them is remitted already.
  virtual Status AddRemittance(Remittance& remittance, const std::vector<std::int64_t>& split_ids) {
    (void)remittance, (void)split_ids;
    return PaymentsNotOnThisStore("AddRemittance");
  }
  virtual Result<std::vector<Remittance>> ListRemittances(std::optional<ClientId> client) {
    (void)client;
    return PaymentsNotOnThisStore("ListRemittances");
  }
  virtual Status AddRefundHold(RefundHold& hold) {
    (void)hold;
    return PaymentsNotOnThisStore("AddRefundHold");
  }
  virtual Result<std::vector<RefundHold>> ListOpenRefundHolds() {
    return PaymentsNotOnThisStore("ListOpenRefundHolds");
  }
  // Marks holds as paid back by the pain.001 `message_id`; kAborted when one was paid already.
  virtual Status MarkRefunded(const std::vector<RefundHold>& holds, const std::string& message_id) {
    (void)holds, (void)message_id;
    return PaymentsNotOnThisStore("MarkRefunded");
  }
  virtual Status PutClientTerms(const ClientTerms& terms) {
    (void)terms;
    return PaymentsNotOnThisStore("PutClientTerms");
  }
  virtual Result<std::optional<ClientTerms>> FindClientTerms(ClientId client) {
    (void)client;
    return PaymentsNotOnThisStore("FindClientTerms");
  }
  // The customer's open balance of a case after a posting (read model for matching).
  virtual Status PutCaseBalance(ClientId client, CaseId id, const domain::Money& open,
                                domain::Date as_of) {
    (void)client, (void)id, (void)open, (void)as_of;
    return PaymentsNotOnThisStore("PutCaseBalance");
  }
  // One row per case of every client, for the in-memory matcher.
  virtual Result<std::vector<MatchIndexRow>> LoadMatchIndex() {
    return PaymentsNotOnThisStore("LoadMatchIndex");
  }
};

}  // namespace quitt::app
