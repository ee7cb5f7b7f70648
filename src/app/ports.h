#pragma once
// The ports the use cases need. Adapters implement them (SQLite now, PostgreSQL later); tests
// use the same contract suite against every implementation (tests/store_contract.h).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/case_event.h"
#include "domain/case_state.h"
#include "domain/party.h"

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
    ClaimId id;
    CaseId case_id;
    std::int64_t principal_minor;
    std::string currency;
  };
  std::unordered_map<std::string, KnownClaim> claims_by_ref;     // client_ref → claim
  std::unordered_map<std::string, CustomerId> customers_by_ref;  // customer_ref → id
  std::vector<CaseSummary> open_cases;                           // the client's open cases
  std::unordered_map<std::int64_t, int> case_count_by_customer;  // for "repeat customer"
};

// One atomic group of writes. The store applies it inside the current transaction.
struct WriteBatch {
  std::vector<domain::Customer> new_customers;
  std::vector<domain::Claim> new_claims;
  std::vector<domain::StoredCaseEvent> events;
  // Insert-or-replace of the read model of every case the events touched.
  std::vector<CaseSummary> case_summaries;
  bool empty() const {
    return new_customers.empty() && new_claims.empty() && events.empty() && case_summaries.empty();
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
};

}  // namespace quitt::app
