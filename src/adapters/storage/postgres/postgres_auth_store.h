#pragma once
// PostgresAuthStore: the app::auth::AuthStore port (users, API keys, sessions, audit, idempotency,
// webhooks) on the connection of a PostgresCaseStore (tables of migration 0004_auth.sql). It
// borrows that connection, so it has the same thread rule: one thread at a time.
//
// Several server processes may share the database. What differs from the SQLite store only where
// that matters: DueDeliveries leases the rows it returns (their next attempt moves `lease_seconds`
// ahead, rows another process holds locked are skipped), so two servers never send the same
// webhook at the same time; a server that dies mid-delivery leaves the row due again once the
// lease ends.
#include "adapters/storage/postgres/pg_connection.h"
#include "app/auth/auth_store.h"

namespace quitt::adapters::postgres {

class PostgresAuthStore : public app::auth::AuthStore {
 public:
  // `db` must outlive the store and be migrated (PostgresCaseStore::Open does that).
  explicit PostgresAuthStore(Connection& db, std::int64_t lease_seconds = 60)
      : db_(db), lease_seconds_(lease_seconds) {}

  Result<app::auth::User> AddUser(const app::auth::User& user, domain::Timestamp now) override;
  Result<std::optional<app::auth::User>> FindUserByName(const std::string& username) override;
  Result<std::optional<app::auth::User>> FindUser(std::int64_t client_id,
                                                  std::int64_t user_id) override;
  Result<app::auth::ApiKeyRecord> AddApiKey(const app::auth::ApiKeyRecord& key,
                                            domain::Timestamp now) override;
  Result<std::optional<app::auth::ApiKeyRecord>> FindApiKeyByHash(
      const std::string& key_hash) override;
  Status AddSession(const app::auth::SessionRecord& session, domain::Timestamp now) override;
  Result<std::optional<app::auth::SessionRecord>> FindSession(
      const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status AppendAudit(const app::auth::AuditEntry& entry) override;
  Result<std::vector<app::auth::AuditEntry>> ListAudit(std::int64_t client_id, int limit) override;
  Result<std::optional<app::auth::IdempotencyRecord>> FindIdempotency(
      std::int64_t client_id, const std::string& key) override;
  Status SaveIdempotency(std::int64_t client_id, const std::string& key,
                         const app::auth::IdempotencyRecord& record,
                         domain::Timestamp now) override;
  Result<app::auth::WebhookEndpoint> AddWebhook(const app::auth::WebhookEndpoint& endpoint,
                                                domain::Timestamp now) override;
  Result<std::vector<app::auth::WebhookEndpoint>> ListWebhooks(std::int64_t client_id) override;
  Status DeleteWebhook(std::int64_t client_id, std::int64_t endpoint_id) override;
  Result<std::optional<app::auth::WebhookEndpoint>> FindWebhook(std::int64_t client_id,
                                                                std::int64_t endpoint_id) override;
  Result<std::vector<app::auth::OutboxItem>> DueDeliveries(domain::Timestamp now,
                                                           int limit) override;
  Status MarkDelivered(const app::auth::OutboxItem& item, domain::Timestamp now) override;
  Status MarkFailed(const app::auth::OutboxItem& item, domain::Timestamp next_attempt,
                    const std::string& error) override;
  Result<std::int64_t> PendingDeliveries(std::optional<std::int64_t> client_id) override;

 private:
  Result<std::int64_t> NextId(const char* sequence);

  Connection& db_;
  std::int64_t lease_seconds_;
};

}  // namespace quitt::adapters::postgres
