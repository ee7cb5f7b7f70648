#pragma once
// PostgresCaseStore: the CaseStore port on PostgreSQL 15 through libpq. One instance is one
// connection; use it from one thread at a time. Any number of processes may share the database:
// writers do not block each other, and where two write the same case the second gets kAborted
// from the (client, case, seq) key of case_events and may retry (see docs/postgres.md).
#include <memory>
#include <string>

#include "adapters/storage/postgres/pg_connection.h"
#include "app/ports.h"

namespace quitt::adapters::postgres {

// The numbered schema migrations (migrations/*.sql, compiled in), applied in order by Migrate().
struct Migration {
  const char* name;  // "0001_initial.sql": the number orders them
  const char* sql;
};
const std::vector<Migration>& EmbeddedMigrations();

class PostgresCaseStore : public app::CaseStore {
 public:
  // Connects (`conninfo`: "postgresql://user@host:port/db" or "host=... dbname=...") and applies
  // pending migrations. A server that cannot be reached is kUnavailable.
  static Result<std::unique_ptr<PostgresCaseStore>> Open(const std::string& conninfo,
                                                         app::Clock& clock);

  // Applies every migration not yet recorded in schema_migrations; returns the names applied.
  // Safe when several processes start at once (an advisory lock serialises them).
  Result<std::vector<std::string>> Migrate();

  Result<std::unique_ptr<app::Transaction>> Begin() override;
  Status Write(const app::WriteBatch& batch) override;
  Result<std::int64_t> ReserveIds(app::IdKind kind, std::int64_t count) override;
  Status ReleaseIds(app::IdKind kind, std::int64_t first_unused, std::int64_t end) override;

  Result<domain::Client> AddClient(const domain::Client& client) override;
  Result<std::optional<domain::Client>> FindClientByCode(const std::string& code) override;
  Result<std::optional<domain::Client>> FindClient(app::ClientId id) override;
  Result<std::vector<domain::Client>> ListClients() override;

  Result<std::optional<domain::Customer>> FindCustomer(app::ClientId client,
                                                       app::CustomerId id) override;

  Result<std::optional<app::CaseSummary>> FindCaseByNumber(const std::string& number) override;
  Result<std::optional<app::CaseSummary>> FindCase(app::ClientId client, app::CaseId id) override;
  Result<std::vector<app::CaseSummary>> ListCases(const app::CaseFilter& filter) override;
  Result<std::vector<domain::StoredCaseEvent>> LoadHistory(app::ClientId client,
                                                           app::CaseId id) override;
  Status ForEachCase(std::optional<app::ClientId> client,
                     const std::function<Status(const app::CaseSummary&)>& visit) override;
  Result<app::ImportIndex> LoadImportIndex(app::ClientId client) override;
  Result<app::ImportIndex> LoadImportIndexFor(
      app::ClientId client, const std::vector<std::string>& claim_refs,
      const std::vector<std::string>& customer_refs) override;
  Result<std::int64_t> CountClaims(app::ClientId client, std::int64_t up_to) override;

  // The daily run (postgres_collection_store.cc).
  Result<std::vector<app::CollectionCandidate>> ListCollectionCandidates(app::ClientId after_client,
                                                                         app::CaseId after_case,
                                                                         int limit) override;
  Result<std::optional<app::CollectionRow>> FindCollectionRow(app::ClientId client,
                                                              app::CaseId id) override;
  Result<bool> IsRepeatCustomer(app::ClientId client, app::CustomerId customer,
                                app::CaseId id) override;
  Result<std::vector<app::DueCase>> LoadDueCases(app::ClientId client, domain::Date as_of,
                                                 int partitions, int partition, app::CaseId after,
                                                 int limit) override;
  Result<int> PlanRun(domain::Date as_of, int partitions) override;
  Result<std::optional<app::RunPartition>> ClaimRunPartition(domain::Date as_of,
                                                             const std::string& worker,
                                                             domain::Timestamp now,
                                                             domain::Timestamp lease_until,
                                                             bool take_over) override;
  Status SaveRunPartition(const app::RunPartition& partition) override;
  Result<std::vector<app::RunPartition>> ListRunPartitions(domain::Date as_of) override;
  Result<std::vector<app::OutboxMessage>> ListOutbox(std::optional<app::ClientId> client,
                                                     std::optional<app::CaseId> case_id,
                                                     const std::string& after_key,
                                                     int limit) override;

  // Payments (postgres_payment_store.cc).
  Result<bool> InsertBankEntry(app::BankEntry& entry) override;
  Status UpdateBankEntry(const app::BankEntry& entry) override;
  Result<std::optional<app::BankEntry>> FindBankEntry(std::int64_t entry_id) override;
  Result<std::vector<app::BankEntry>> ListBankEntries(std::optional<app::BankEntryState> state,
                                                      std::int64_t after_id, int limit) override;
  Status AddJournalEntry(app::JournalEntry& entry) override;
  Result<app::JournalTotals> SumJournal() override;
  Status AddPaymentSplit(app::PaymentSplit& split) override;
  Result<std::vector<app::PaymentSplit>> ListUnremittedSplits(app::ClientId client,
                                                              domain::Date as_of) override;
  Status AddRemittance(app::Remittance& remittance,
                       const std::vector<std::int64_t>& split_ids) override;
  Result<std::vector<app::Remittance>> ListRemittances(
      std::optional<app::ClientId> client) override;
  Status AddRefundHold(app::RefundHold& hold) override;
  Result<std::vector<app::RefundHold>> ListOpenRefundHolds() override;
  Status MarkRefunded(const std::vector<app::RefundHold>& holds,
                      const std::string& message_id) override;
  Status PutClientTerms(const app::ClientTerms& terms) override;
  Result<std::optional<app::ClientTerms>> FindClientTerms(app::ClientId client) override;
  Status PutCaseBalance(app::ClientId client, app::CaseId id, const domain::Money& open,
                        domain::Date as_of) override;
  Result<std::vector<app::MatchIndexRow>> LoadMatchIndex() override;

  // The connection, for tests and tools that need plain SQL.
  Connection& connection() { return *db_; }

 private:
  PostgresCaseStore(std::unique_ptr<Connection> db, app::Clock& clock)
      : db_(std::move(db)), clock_(clock) {}
  Result<std::vector<app::CaseSummary>> QueryCases(const std::string& where_sql,
                                                   const Params& params);
  Status WriteCustomers(const std::vector<domain::Customer>& customers);
  Status WriteClaims(const std::vector<domain::Claim>& claims);
  Status WriteEvents(const std::vector<domain::StoredCaseEvent>& events);
  Status WriteCaseSummaries(const std::vector<app::CaseSummary>& summaries);
  // Case heads, collection rows, next checks and outbox messages of a batch, in that order.
  Status WriteCollection(const app::WriteBatch& batch);

  std::unique_ptr<Connection> db_;
  app::Clock& clock_;
  bool in_transaction_ = false;
  friend class PostgresTransaction;
};

}  // namespace quitt::adapters::postgres
