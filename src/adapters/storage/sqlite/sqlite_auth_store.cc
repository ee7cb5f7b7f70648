#include "adapters/storage/sqlite/sqlite_auth_store.h"

namespace quitt::adapters::sqlite {

using app::auth::ApiKeyRecord;
using app::auth::AuditEntry;
using app::auth::OutboxItem;
using app::auth::User;
using app::auth::WebhookEndpoint;

namespace {

Result<domain::Timestamp> ReadInstant(const std::string& text, const char* column) {
  auto at = domain::Timestamp::Parse(text);
  if (!at) return DataLoss(std::string("stored ") + column + ": " + at.error().message());
  return *at;
}

Result<User> ReadUser(Statement& row) {
  User user;
  user.client_id = row.Int(0);
  user.user_id = row.Int(1);
  user.username = row.Text(2);
  auto role = app::auth::ParseRole(row.Text(3));
  if (!role) return DataLoss("stored role '" + row.Text(3) + "' is unknown");
  user.role = *role;
  user.password_hash = row.Text(4);
  user.disabled = row.Int(5) != 0;
  return user;
}

WebhookEndpoint ReadWebhook(Statement& row) {
  WebhookEndpoint endpoint;
  endpoint.client_id = row.Int(0);
  endpoint.endpoint_id = row.Int(1);
  endpoint.url = row.Text(2);
  endpoint.secret = row.Text(3);
  endpoint.active = row.Int(4) != 0;
  return endpoint;
}

}  // namespace

Result<std::int64_t> SqliteAuthStore::NextId(const char* sequence) {
  QUITT_ASSIGN_OR_RETURN(Statement * next,
                         db_.Cached("UPDATE id_sequences SET next_value = next_value + 1 "
                                    "WHERE name = ? RETURNING next_value - 1"));
  next->Bind(1, sequence);
  QUITT_ASSIGN_OR_RETURN(bool found, next->Step());
  if (!found) {
    next->Reset();
    return Internal(std::string("id sequence '") + sequence + "' is missing (migration 0004)");
  }
  std::int64_t id = next->Int(0);
  next->Reset();
  return id;
}

Result<User> SqliteAuthStore::AddUser(const User& user, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(auto existing, FindUserByName(user.username));
  if (existing) return AlreadyExists("user '" + user.username + "' exists already");
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("user"));
  User stored = user;
  stored.user_id = id;
  QUITT_ASSIGN_OR_RETURN(
      auto insert, db_.Prepare("INSERT INTO users(client_id, user_id, username, role, "
                               "password_hash, created_at, disabled) VALUES (?,?,?,?,?,?,?)"));
  insert->Bind(1, stored.client_id)
      .Bind(2, stored.user_id)
      .Bind(3, stored.username)
      .Bind(4, app::auth::RoleName(stored.role))
      .Bind(5, stored.password_hash)
      .Bind(6, now.ToString())
      .Bind(7, std::int64_t{stored.disabled ? 1 : 0});
  QUITT_RETURN_IF_ERROR(insert->Run());
  return stored;
}

Result<std::optional<User>> SqliteAuthStore::FindUserByName(const std::string& username) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT client_id, user_id, username, role, password_hash, "
                                    "disabled FROM users WHERE username = ?"));
  query->Bind(1, username);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  if (!found) {
    query->Reset();
    return std::optional<User>();
  }
  auto user = ReadUser(*query);
  query->Reset();
  if (!user) return user.error();
  return std::optional<User>(std::move(*user));
}

Result<std::optional<User>> SqliteAuthStore::FindUser(std::int64_t client_id,
                                                      std::int64_t user_id) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT client_id, user_id, username, role, password_hash, "
                                    "disabled FROM users WHERE client_id = ? AND user_id = ?"));
  query->Bind(1, client_id).Bind(2, user_id);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  if (!found) {
    query->Reset();
    return std::optional<User>();
  }
  auto user = ReadUser(*query);
  query->Reset();
  if (!user) return user.error();
  return std::optional<User>(std::move(*user));
}

Result<ApiKeyRecord> SqliteAuthStore::AddApiKey(const ApiKeyRecord& key, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("api_key"));
  ApiKeyRecord stored = key;
  stored.key_id = id;
  QUITT_ASSIGN_OR_RETURN(auto insert,
                         db_.Prepare("INSERT INTO api_keys(client_id, key_id, key_hash, prefix, "
                                     "label, created_at, revoked) VALUES (?,?,?,?,?,?,?)"));
  insert->Bind(1, stored.client_id)
      .Bind(2, stored.key_id)
      .Bind(3, stored.key_hash)
      .Bind(4, stored.prefix)
      .Bind(5, stored.label)
      .Bind(6, now.ToString())
      .Bind(7, std::int64_t{stored.revoked ? 1 : 0});
  QUITT_RETURN_IF_ERROR(insert->Run());
  return stored;
}

Result<std::optional<ApiKeyRecord>> SqliteAuthStore::FindApiKeyByHash(const std::string& hash) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT client_id, key_id, key_hash, prefix, label, revoked "
                                    "FROM api_keys WHERE key_hash = ?"));
  query->Bind(1, hash);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  std::optional<ApiKeyRecord> key;
  if (found) {
    key.emplace();
    key->client_id = query->Int(0);
    key->key_id = query->Int(1);
    key->key_hash = query->Text(2);
    key->prefix = query->Text(3);
    key->label = query->Text(4);
    key->revoked = query->Int(5) != 0;
  }
  query->Reset();
  return key;
}

Status SqliteAuthStore::AddSession(const app::auth::SessionRecord& session, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(Statement * insert,
                         db_.Cached("INSERT INTO sessions(client_id, token_hash, user_id, "
                                    "csrf_hash, created_at, expires_at) VALUES (?,?,?,?,?,?)"));
  insert->Bind(1, session.client_id)
      .Bind(2, session.token_hash)
      .Bind(3, session.user_id)
      .Bind(4, session.csrf_hash)
      .Bind(5, now.ToString())
      .Bind(6, session.expires_at.ToString());
  return insert->Run();
}

Result<std::optional<app::auth::SessionRecord>> SqliteAuthStore::FindSession(
    const std::string& token_hash) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT client_id, token_hash, user_id, csrf_hash, expires_at "
                                    "FROM sessions WHERE token_hash = ?"));
  query->Bind(1, token_hash);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  std::optional<app::auth::SessionRecord> session;
  if (found) {
    session.emplace();
    session->client_id = query->Int(0);
    session->token_hash = query->Text(1);
    session->user_id = query->Int(2);
    session->csrf_hash = query->Text(3);
    auto expires = ReadInstant(query->Text(4), "expires_at");
    if (!expires) {
      query->Reset();
      return expires.error();
    }
    session->expires_at = *expires;
  }
  query->Reset();
  return session;
}

Status SqliteAuthStore::DeleteSession(const std::string& token_hash) {
  QUITT_ASSIGN_OR_RETURN(Statement * del, db_.Cached("DELETE FROM sessions WHERE token_hash = ?"));
  del->Bind(1, token_hash);
  return del->Run();
}

Status SqliteAuthStore::AppendAudit(const AuditEntry& entry) {
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("audit"));
  QUITT_ASSIGN_OR_RETURN(Statement * insert,
                         db_.Cached("INSERT INTO audit_log(client_id, audit_id, at, actor, action, "
                                    "target, status, detail) VALUES (?,?,?,?,?,?,?,?)"));
  insert->Bind(1, entry.client_id)
      .Bind(2, id)
      .Bind(3, entry.at.ToString())
      .Bind(4, entry.actor)
      .Bind(5, entry.action)
      .Bind(6, entry.target)
      .Bind(7, std::int64_t{entry.status})
      .Bind(8, entry.detail);
  return insert->Run();
}

Result<std::vector<AuditEntry>> SqliteAuthStore::ListAudit(std::int64_t client_id, int limit) {
  QUITT_ASSIGN_OR_RETURN(
      auto query, db_.Prepare("SELECT client_id, at, actor, action, target, status, detail FROM "
                              "(SELECT * FROM audit_log WHERE client_id = ? ORDER BY audit_id DESC "
                              "LIMIT ?) ORDER BY audit_id"));
  query->Bind(1, client_id).Bind(2, std::int64_t{limit});
  std::vector<AuditEntry> entries;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    AuditEntry entry;
    entry.client_id = query->Int(0);
    QUITT_ASSIGN_OR_RETURN(entry.at, ReadInstant(query->Text(1), "audit at"));
    entry.actor = query->Text(2);
    entry.action = query->Text(3);
    entry.target = query->Text(4);
    entry.status = static_cast<int>(query->Int(5));
    entry.detail = query->Text(6);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::optional<app::auth::IdempotencyRecord>> SqliteAuthStore::FindIdempotency(
    std::int64_t client_id, const std::string& key) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT request_hash, status, content_type, body FROM "
                                    "idempotency_keys WHERE client_id = ? AND key = ?"));
  query->Bind(1, client_id).Bind(2, key);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  std::optional<app::auth::IdempotencyRecord> record;
  if (found) {
    record.emplace();
    record->request_hash = query->Text(0);
    record->status = static_cast<int>(query->Int(1));
    record->content_type = query->Text(2);
    record->body = query->Text(3);
  }
  query->Reset();
  return record;
}

Status SqliteAuthStore::SaveIdempotency(std::int64_t client_id, const std::string& key,
                                        const app::auth::IdempotencyRecord& record,
                                        domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * insert,
      db_.Cached("INSERT OR IGNORE INTO idempotency_keys(client_id, key, request_hash, status, "
                 "content_type, body, created_at) VALUES (?,?,?,?,?,?,?)"));
  insert->Bind(1, client_id)
      .Bind(2, key)
      .Bind(3, record.request_hash)
      .Bind(4, std::int64_t{record.status})
      .Bind(5, record.content_type)
      .Bind(6, record.body)
      .Bind(7, now.ToString());
  return insert->Run();
}

Result<WebhookEndpoint> SqliteAuthStore::AddWebhook(const WebhookEndpoint& endpoint,
                                                    domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(std::int64_t id, NextId("webhook_endpoint"));
  WebhookEndpoint stored = endpoint;
  stored.endpoint_id = id;
  QUITT_ASSIGN_OR_RETURN(auto insert,
                         db_.Prepare("INSERT INTO webhook_endpoints(client_id, endpoint_id, url, "
                                     "secret, active, created_at) VALUES (?,?,?,?,?,?)"));
  insert->Bind(1, stored.client_id)
      .Bind(2, stored.endpoint_id)
      .Bind(3, stored.url)
      .Bind(4, stored.secret)
      .Bind(5, std::int64_t{stored.active ? 1 : 0})
      .Bind(6, now.ToString());
  QUITT_RETURN_IF_ERROR(insert->Run());
  return stored;
}

Result<std::vector<WebhookEndpoint>> SqliteAuthStore::ListWebhooks(std::int64_t client_id) {
  QUITT_ASSIGN_OR_RETURN(auto query,
                         db_.Prepare("SELECT client_id, endpoint_id, url, secret, active FROM "
                                     "webhook_endpoints WHERE client_id = ? AND active = 1 "
                                     "ORDER BY endpoint_id"));
  query->Bind(1, client_id);
  std::vector<WebhookEndpoint> endpoints;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    endpoints.push_back(ReadWebhook(*query));
  }
  return endpoints;
}

Result<std::optional<WebhookEndpoint>> SqliteAuthStore::FindWebhook(std::int64_t client_id,
                                                                    std::int64_t endpoint_id) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_.Cached("SELECT client_id, endpoint_id, url, secret, active FROM "
                                    "webhook_endpoints WHERE client_id = ? AND endpoint_id = ?"));
  query->Bind(1, client_id).Bind(2, endpoint_id);
  QUITT_ASSIGN_OR_RETURN(bool found, query->Step());
  std::optional<WebhookEndpoint> endpoint;
  if (found) endpoint = ReadWebhook(*query);
  query->Reset();
  return endpoint;
}

Status SqliteAuthStore::DeleteWebhook(std::int64_t client_id, std::int64_t endpoint_id) {
  QUITT_ASSIGN_OR_RETURN(auto found, FindWebhook(client_id, endpoint_id));
  if (!found || !found->active) return NotFound("webhook " + std::to_string(endpoint_id));
  QUITT_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  auto update = db_.Prepare(
      "UPDATE webhook_endpoints SET active = 0 WHERE client_id = ? AND endpoint_id = ?");
  auto drop = db_.Prepare(
      "DELETE FROM webhook_outbox WHERE client_id = ? AND endpoint_id = ? AND delivered_at IS "
      "NULL");
  Status status = !update ? update.error() : !drop ? drop.error() : OkStatus();
  if (status.ok()) status = (*update)->Bind(1, client_id).Bind(2, endpoint_id).Run();
  if (status.ok()) status = (*drop)->Bind(1, client_id).Bind(2, endpoint_id).Run();
  if (!status.ok()) {
    (void)db_.Exec("ROLLBACK");
    return status;
  }
  return db_.Exec("COMMIT");
}

Result<std::vector<OutboxItem>> SqliteAuthStore::DueDeliveries(domain::Timestamp now, int limit) {
  // The head of each (endpoint, case) queue: the lowest undelivered seq. Only heads that are due
  // are returned, so a failing event holds back the later events of its case.
  QUITT_ASSIGN_OR_RETURN(
      auto query,
      db_.Prepare("SELECT o.client_id, o.endpoint_id, o.case_id, o.seq, o.attempts, "
                  "o.next_attempt_at FROM webhook_outbox o WHERE o.delivered_at IS NULL AND "
                  "o.seq = (SELECT MIN(h.seq) FROM webhook_outbox h WHERE h.client_id = "
                  "o.client_id AND h.endpoint_id = o.endpoint_id AND h.case_id = o.case_id AND "
                  "h.delivered_at IS NULL) AND o.next_attempt_at <= ? "
                  "ORDER BY o.next_attempt_at, o.client_id, o.case_id LIMIT ?"));
  query->Bind(1, now.ToString()).Bind(2, std::int64_t{limit});
  std::vector<OutboxItem> items;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    OutboxItem item;
    item.client_id = query->Int(0);
    item.endpoint_id = query->Int(1);
    item.case_id = query->Int(2);
    item.seq = query->Int(3);
    item.attempts = static_cast<int>(query->Int(4));
    QUITT_ASSIGN_OR_RETURN(item.next_attempt_at, ReadInstant(query->Text(5), "next_attempt_at"));
    items.push_back(item);
  }
  return items;
}

Status SqliteAuthStore::MarkDelivered(const OutboxItem& item, domain::Timestamp now) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * update,
      db_.Cached("UPDATE webhook_outbox SET delivered_at = ?, attempts = attempts + 1, "
                 "last_error = '' WHERE client_id = ? AND endpoint_id = ? AND case_id = ? AND "
                 "seq = ?"));
  update->Bind(1, now.ToString())
      .Bind(2, item.client_id)
      .Bind(3, item.endpoint_id)
      .Bind(4, item.case_id)
      .Bind(5, item.seq);
  return update->Run();
}

Status SqliteAuthStore::MarkFailed(const OutboxItem& item, domain::Timestamp next_attempt,
                                   const std::string& error) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * update,
      db_.Cached("UPDATE webhook_outbox SET next_attempt_at = ?, attempts = attempts + 1, "
                 "last_error = ? WHERE client_id = ? AND endpoint_id = ? AND case_id = ? AND "
                 "seq = ?"));
  update->Bind(1, next_attempt.ToString())
      .Bind(2, error)
      .Bind(3, item.client_id)
      .Bind(4, item.endpoint_id)
      .Bind(5, item.case_id)
      .Bind(6, item.seq);
  return update->Run();
}

Result<std::int64_t> SqliteAuthStore::PendingDeliveries(std::optional<std::int64_t> client_id) {
  QUITT_ASSIGN_OR_RETURN(auto query,
                         db_.Prepare(client_id ? "SELECT COUNT(*) FROM webhook_outbox WHERE "
                                                 "delivered_at IS NULL AND client_id = ?"
                                               : "SELECT COUNT(*) FROM webhook_outbox WHERE "
                                                 "delivered_at IS NULL"));
  if (client_id) query->Bind(1, *client_id);
  QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
  return row ? query->Int(0) : 0;
}

}  // namespace quitt::adapters::sqlite
