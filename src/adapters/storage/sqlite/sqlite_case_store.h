#pragma once
// SqliteCaseStore: the CaseStore port on an embedded SQLite file (WAL). One instance is one
// connection; use it from one thread at a time. Several processes may share the file: writers
// queue on SQLite's write lock (BEGIN IMMEDIATE, 10 s busy timeout).
#include <memory>
#include <string>

#include "adapters/storage/sqlite/sqlite_db.h"
#include "app/ports.h"

namespace quitt::adapters::sqlite {

class SqliteCaseStore : public app::CaseStore {
 public:
  // Opens the database file and applies pending migrations.
  static Result<std::unique_ptr<SqliteCaseStore>> Open(const std::string& path, app::Clock& clock);

  // Applies every migration not yet recorded; returns the names applied.
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

  // The daily run (sqlite_collection_store.cc).
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

  // Payments (sqlite_payment_store.cc, migrations/0003_payments.sql).
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

  Database& database() { return *db_; }

 private:
  SqliteCaseStore(std::unique_ptr<Database> db, app::Clock& clock)
      : db_(std::move(db)), clock_(clock) {}
  Status WriteCollection(const app::WriteBatch& batch);
  Status QueueWebhooks(const std::vector<domain::StoredCaseEvent>& events);
  Result<std::vector<app::CaseSummary>> QueryCases(const std::string& where_sql,
                                                   const std::function<void(Statement&)>& bind);

  std::unique_ptr<Database> db_;
  app::Clock& clock_;
  bool in_transaction_ = false;
  friend class SqliteTransaction;
};

}  // namespace quitt::adapters::sqlite
