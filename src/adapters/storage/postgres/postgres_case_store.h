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

  std::unique_ptr<Connection> db_;
  app::Clock& clock_;
  bool in_transaction_ = false;
  friend class PostgresTransaction;
};

}  // namespace quitt::adapters::postgres
