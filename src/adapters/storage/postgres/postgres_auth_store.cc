#include "adapters/storage/postgres/postgres_auth_store.h"

#include <algorithm>
#include <tuple>

#include "adapters/storage/postgres/pg_store_support.h"

namespace quitt::adapters::postgres {

using app::auth::ApiKeyRecord;
using app::auth::AuditEntry;
using app::auth::OutboxItem;
using app::auth::User;
using app::auth::WebhookEndpoint;

namespace {

// Instants are written as their ISO text (UTC, "Z") and read back as microseconds, so the
// session's TimeZone never matters.
domain::Timestamp InstantAt(const Rows& rows, int row, int column) {
  return domain::Timestamp::FromUnixMicros(rows.Int(row, column));
}

const std::string& UserColumns() {
  static const std::string kColumns = "client_id, user_id, username, role, password_hash, disabled";
  return kColumns;
}

Result<User> ReadUser(const Rows& rows, int r) {
  User user;
  user.client_id = rows.Int(r, 0);
  user.user_id = rows.Int(r, 1);
  user.username = rows.String(r, 2);
  auto role = app::auth::ParseRole(rows.Text(r, 3));
  if (!role) return DataLoss("stored role '" + rows.String(r, 3) + "' is unknown");
  user.role = *role;
  user.password_hash = rows.String(r, 4);
  user.disabled = rows.Bool(r, 5);
  return user;
}

Result<std::optional<User>> OneUser(const Rows& rows) {
  if (rows.empty()) return std::optional<User>();
  QUITT_ASSIGN_OR_RETURN(User user, ReadUser(rows, 0));
  return std::optional<User>(std::move(user));
}

WebhookEndpoint ReadWebhook(const Rows& rows, int r) {
  WebhookEndpoint endpoint;
  endpoint.client_id = rows.Int(r, 0);
  endpoint.endpoint_id = rows.Int(r, 1);
  endpoint.url = rows.String(r, 2);
  endpoint.secret = rows.String(r, 3);
  endpoint.active = rows.Bool(r, 4);
  return endpoint;
}

Status Done(const Result<Rows>& result) { return result.ok() ? OkStatus() : result.error(); }

}  // namespace

Result<std::int64_t> PostgresAuthStore::NextId(const char* sequence) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT nextval($1::regclass)", Params().Add(sequence)));
  if (rows.empty()) return Internal(std::string("sequence ") + sequence + " returned nothing");
  return rows.Int(0, 0);
}

Result<User> PostgresAuthStore::AddUser(const User& user, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(auto existing, FindUserByName(user.username));
  if (existing) return AlreadyExists("user '" + user.username + "' exists already");
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("user_ids"));
  User stored = user;
  stored.user_id = id;
  auto inserted = db_.Query(
      "INSERT INTO users(client_id, user_id, username, role, password_hash, created_at, "
      "disabled) VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::boolean)",
      Params()
          .Add(stored.client_id)
          .Add(stored.user_id)
          .Add(stored.username)
          .Add(app::auth::RoleName(stored.role))
          .Add(stored.password_hash)
          .Add(now.ToString())
          .AddBool(stored.disabled));
  if (!inserted) {
    // Another process took the name between the check and the insert.
    if (inserted.error().code() == StatusCode::kAborted) {
      return AlreadyExists("user '" + user.username + "' exists already");
    }
    return inserted.error();
  }
  return stored;
}

Result<std::optional<User>> PostgresAuthStore::FindUserByName(const std::string& username) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT " + UserColumns() + " FROM users WHERE username = $1",
                                   Params().Add(username)));
  return OneUser(rows);
}

Result<std::optional<User>> PostgresAuthStore::FindUser(std::int64_t client_id,
                                                        std::int64_t user_id) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT " + UserColumns() + " FROM users WHERE client_id = $1 AND user_id = $2",
                Params().Add(client_id).Add(user_id)));
  return OneUser(rows);
}

Result<ApiKeyRecord> PostgresAuthStore::AddApiKey(const ApiKeyRecord& key, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("api_key_ids"));
  ApiKeyRecord stored = key;
  stored.key_id = id;
  QUITT_RETURN_IF_ERROR(Done(db_.Query(
      "INSERT INTO api_keys(client_id, key_id, key_hash, prefix, label, created_at, revoked) "
      "VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::boolean)",
      Params()
          .Add(stored.client_id)
          .Add(stored.key_id)
          .Add(stored.key_hash)
          .Add(stored.prefix)
          .Add(stored.label)
          .Add(now.ToString())
          .AddBool(stored.revoked))));
  return stored;
}

Result<std::optional<ApiKeyRecord>> PostgresAuthStore::FindApiKeyByHash(const std::string& hash) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT client_id, key_id, key_hash, prefix, label, revoked "
                                   "FROM api_keys WHERE key_hash = $1",
                                   Params().Add(hash)));
  std::optional<ApiKeyRecord> key;
  if (!rows.empty()) {
    key.emplace();
    key->client_id = rows.Int(0, 0);
    key->key_id = rows.Int(0, 1);
    key->key_hash = rows.String(0, 2);
    key->prefix = rows.String(0, 3);
    key->label = rows.String(0, 4);
    key->revoked = rows.Bool(0, 5);
  }
  return key;
}

Status PostgresAuthStore::AddSession(const app::auth::SessionRecord& session,
                                     domain::Timestamp now) {
  return Done(db_.Query(
      "INSERT INTO sessions(client_id, token_hash, user_id, csrf_hash, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz)",
      Params()
          .Add(session.client_id)
          .Add(session.token_hash)
          .Add(session.user_id)
          .Add(session.csrf_hash)
          .Add(now.ToString())
          .Add(session.expires_at.ToString())));
}

Result<std::optional<app::auth::SessionRecord>> PostgresAuthStore::FindSession(
    const std::string& token_hash) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows, db_.Query("SELECT client_id, token_hash, user_id, csrf_hash, " +
                               MicrosColumn("expires_at") + " FROM sessions WHERE token_hash = $1",
                           Params().Add(token_hash)));
  std::optional<app::auth::SessionRecord> session;
  if (!rows.empty()) {
    session.emplace();
    session->client_id = rows.Int(0, 0);
    session->token_hash = rows.String(0, 1);
    session->user_id = rows.Int(0, 2);
    session->csrf_hash = rows.String(0, 3);
    session->expires_at = InstantAt(rows, 0, 4);
  }
  return session;
}

Status PostgresAuthStore::DeleteSession(const std::string& token_hash) {
  return Done(db_.Query("DELETE FROM sessions WHERE token_hash = $1", Params().Add(token_hash)));
}

Status PostgresAuthStore::AppendAudit(const AuditEntry& entry) {
  return Done(db_.Query(
      "INSERT INTO audit_log(client_id, audit_id, at, actor, action, target, status, detail) "
      "VALUES ($1, nextval('audit_ids'), $2::timestamptz, $3, $4, $5, $6, $7)",
      Params()
          .Add(entry.client_id)
          .Add(entry.at.ToString())
          .Add(entry.actor)
          .Add(entry.action)
          .Add(entry.target)
          .Add(std::int64_t{entry.status})
          .Add(entry.detail)));
}

Result<std::vector<AuditEntry>> PostgresAuthStore::ListAudit(std::int64_t client_id, int limit) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT client_id, " + MicrosColumn("at") +
                    ", actor, action, target, status, detail FROM (SELECT * FROM audit_log "
                    "WHERE client_id = $1 ORDER BY audit_id DESC LIMIT $2) newest "
                    "ORDER BY audit_id",
                Params().Add(client_id).Add(std::int64_t{limit})));
  std::vector<AuditEntry> entries;
  entries.reserve(static_cast<std::size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) {
    AuditEntry entry;
    entry.client_id = rows.Int(r, 0);
    entry.at = InstantAt(rows, r, 1);
    entry.actor = rows.String(r, 2);
    entry.action = rows.String(r, 3);
    entry.target = rows.String(r, 4);
    entry.status = static_cast<int>(rows.Int(r, 5));
    entry.detail = rows.String(r, 6);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::optional<app::auth::IdempotencyRecord>> PostgresAuthStore::FindIdempotency(
    std::int64_t client_id, const std::string& key) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT request_hash, status, content_type, body FROM "
                                   "idempotency_keys WHERE client_id = $1 AND key = $2",
                                   Params().Add(client_id).Add(key)));
  std::optional<app::auth::IdempotencyRecord> record;
  if (!rows.empty()) {
    record.emplace();
    record->request_hash = rows.String(0, 0);
    record->status = static_cast<int>(rows.Int(0, 1));
    record->content_type = rows.String(0, 2);
    record->body = rows.String(0, 3);
  }
  return record;
}

Status PostgresAuthStore::SaveIdempotency(std::int64_t client_id, const std::string& key,
                                          const app::auth::IdempotencyRecord& record,
                                          domain::Timestamp now) {
  return Done(db_.Query(
      "INSERT INTO idempotency_keys(client_id, key, request_hash, status, content_type, body, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) "
      "ON CONFLICT (client_id, key) DO NOTHING",
      Params()
          .Add(client_id)
          .Add(key)
          .Add(record.request_hash)
          .Add(std::int64_t{record.status})
          .Add(record.content_type)
          .Add(record.body)
          .Add(now.ToString())));
}

Result<WebhookEndpoint> PostgresAuthStore::AddWebhook(const WebhookEndpoint& endpoint,
                                                      domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("webhook_endpoint_ids"));
  WebhookEndpoint stored = endpoint;
  stored.endpoint_id = id;
  QUITT_RETURN_IF_ERROR(Done(db_.Query(
      "INSERT INTO webhook_endpoints(client_id, endpoint_id, url, secret, active, created_at) "
      "VALUES ($1, $2, $3, $4, $5::boolean, $6::timestamptz)",
      Params()
          .Add(stored.client_id)
          .Add(stored.endpoint_id)
          .Add(stored.url)
          .Add(stored.secret)
          .AddBool(stored.active)
          .Add(now.ToString()))));
  return stored;
}

Result<std::vector<WebhookEndpoint>> PostgresAuthStore::ListWebhooks(std::int64_t client_id) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT client_id, endpoint_id, url, secret, active FROM "
                                   "webhook_endpoints WHERE client_id = $1 AND active "
                                   "ORDER BY endpoint_id",
                                   Params().Add(client_id)));
  std::vector<WebhookEndpoint> endpoints;
  for (int r = 0; r < rows.size(); ++r) endpoints.push_back(ReadWebhook(rows, r));
  return endpoints;
}

Result<std::optional<WebhookEndpoint>> PostgresAuthStore::FindWebhook(std::int64_t client_id,
                                                                      std::int64_t endpoint_id) {
  QUITT_ASSIGN_OR_RETURN(Rows rows,
                         db_.Query("SELECT client_id, endpoint_id, url, secret, active FROM "
                                   "webhook_endpoints WHERE client_id = $1 AND endpoint_id = $2",
                                   Params().Add(client_id).Add(endpoint_id)));
  std::optional<WebhookEndpoint> endpoint;
  if (!rows.empty()) endpoint = ReadWebhook(rows, 0);
  return endpoint;
}

Status PostgresAuthStore::DeleteWebhook(std::int64_t client_id, std::int64_t endpoint_id) {
  // One statement, so deactivating and dropping the pending deliveries happen together without a
  // transaction of our own (the connection may be inside the case store's).
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("WITH off AS (UPDATE webhook_endpoints SET active = false WHERE client_id = $1 "
                "AND endpoint_id = $2 AND active RETURNING endpoint_id), "
                "dropped AS (DELETE FROM webhook_outbox WHERE client_id = $1 AND endpoint_id = $2 "
                "AND delivered_at IS NULL AND EXISTS (SELECT 1 FROM off) RETURNING 1) "
                "SELECT (SELECT count(*) FROM off), (SELECT count(*) FROM dropped)",
                Params().Add(client_id).Add(endpoint_id)));
  if (rows.empty() || rows.Int(0, 0) == 0) {
    return NotFound("webhook " + std::to_string(endpoint_id));
  }
  return OkStatus();
}

Result<std::vector<OutboxItem>> PostgresAuthStore::DueDeliveries(domain::Timestamp now, int limit) {
  // The due heads of the (endpoint, case) queues, as in SQLite; then each is leased by moving its
  // next attempt ahead, in the same statement, and rows locked by another server are skipped.
  // The item keeps the next_attempt_at it had when it became due.
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(
          "WITH due AS (SELECT o.client_id, o.endpoint_id, o.case_id, o.seq, o.next_attempt_at "
          "FROM webhook_outbox o WHERE o.delivered_at IS NULL AND o.next_attempt_at <= "
          "$1::timestamptz AND o.seq = (SELECT min(h.seq) FROM webhook_outbox h WHERE "
          "h.client_id = o.client_id AND h.endpoint_id = o.endpoint_id AND h.case_id = o.case_id "
          "AND h.delivered_at IS NULL) ORDER BY o.next_attempt_at, o.client_id, o.case_id "
          "LIMIT $2 FOR UPDATE OF o SKIP LOCKED) "
          "UPDATE webhook_outbox w SET next_attempt_at = $1::timestamptz + make_interval(secs "
          "=> $3) FROM due WHERE w.client_id = due.client_id AND w.endpoint_id = "
          "due.endpoint_id AND w.case_id = due.case_id AND w.seq = due.seq "
          "RETURNING w.client_id, w.endpoint_id, w.case_id, w.seq, w.attempts, " +
              MicrosColumn("due.next_attempt_at"),
          Params().Add(now.ToString()).Add(std::int64_t{limit}).Add(lease_seconds_)));
  std::vector<OutboxItem> items;
  items.reserve(static_cast<std::size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) {
    OutboxItem item;
    item.client_id = rows.Int(r, 0);
    item.endpoint_id = rows.Int(r, 1);
    item.case_id = rows.Int(r, 2);
    item.seq = rows.Int(r, 3);
    item.attempts = static_cast<int>(rows.Int(r, 4));
    item.next_attempt_at = InstantAt(rows, r, 5);
    items.push_back(item);
  }
  // UPDATE ... RETURNING has no order of its own.
  std::sort(items.begin(), items.end(), [](const OutboxItem& a, const OutboxItem& b) {
    return std::tie(a.next_attempt_at, a.client_id, a.case_id, a.endpoint_id) <
           std::tie(b.next_attempt_at, b.client_id, b.case_id, b.endpoint_id);
  });
  return items;
}

Status PostgresAuthStore::MarkDelivered(const OutboxItem& item, domain::Timestamp now) {
  return Done(db_.Query(
      "UPDATE webhook_outbox SET delivered_at = $1::timestamptz, attempts = attempts + 1, "
      "last_error = '' WHERE client_id = $2 AND endpoint_id = $3 AND case_id = $4 AND seq = $5",
      Params()
          .Add(now.ToString())
          .Add(item.client_id)
          .Add(item.endpoint_id)
          .Add(item.case_id)
          .Add(item.seq)));
}

Status PostgresAuthStore::MarkFailed(const OutboxItem& item, domain::Timestamp next_attempt,
                                     const std::string& error) {
  return Done(db_.Query(
      "UPDATE webhook_outbox SET next_attempt_at = $1::timestamptz, attempts = attempts + 1, "
      "last_error = $2 WHERE client_id = $3 AND endpoint_id = $4 AND case_id = $5 AND seq = $6",
      Params()
          .Add(next_attempt.ToString())
          .Add(error)
          .Add(item.client_id)
          .Add(item.endpoint_id)
          .Add(item.case_id)
          .Add(item.seq)));
}

Result<std::int64_t> PostgresAuthStore::PendingDeliveries(std::optional<std::int64_t> client_id) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      client_id ? db_.Query("SELECT count(*) FROM webhook_outbox WHERE delivered_at IS NULL AND "
                            "client_id = $1",
                            Params().Add(*client_id))
                : db_.Query("SELECT count(*) FROM webhook_outbox WHERE delivered_at IS NULL"));
  return rows.empty() ? 0 : rows.Int(0, 0);
}

}  // namespace quitt::adapters::postgres
