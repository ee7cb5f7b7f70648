#pragma once
// AuthStore: the port for what the HTTP server keeps besides cases: users, API keys, sessions,
// the audit log, idempotency records and webhooks (endpoints and the outbox). Implemented by
// adapters/storage/sqlite/sqlite_auth_store.h and adapters/storage/postgres/postgres_auth_store.h
// (adapters/storage/open_store.h picks one); both pass app/auth/testing/auth_store_contract.h.
// One instance is one connection: use it from one thread at a time, like CaseStore.
//
// Every row carries a client id. Agency staff (admin, supervisor, agent) belong to no client and
// use kAgencyClient (0).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/ids.h"

namespace quitt::app::auth {

inline constexpr std::int64_t kAgencyClient = 0;

enum class Role { kAdmin, kSupervisor, kAgent, kClientUser };
// Header-only (like the rest of this port) so storage adapters need no link to quitt_app_auth.
inline const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kSupervisor: return "supervisor";
    case Role::kAgent: return "agent";
    case Role::kClientUser: return "client_user";
  }
  return "agent";
}
inline std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kClientUser}) {
    if (text == RoleName(role)) return role;
  }
  return std::nullopt;
}

struct User {
  std::int64_t client_id = kAgencyClient;
  std::int64_t user_id = 0;
  std::string username;
  Role role = Role::kAgent;
  std::string password_hash;  // crypto_pwhash_str output
  bool disabled = false;
};

struct ApiKeyRecord {
  std::int64_t client_id = 0;
  std::int64_t key_id = 0;
  std::string key_hash;  // hex SHA-256 of the key
  std::string prefix;    // first characters of the key, for people to tell keys apart
  std::string label;
  bool revoked = false;
};

struct SessionRecord {
  std::int64_t client_id = kAgencyClient;
  std::string token_hash;  // hex SHA-256 of the cookie value
  std::int64_t user_id = 0;
  std::string csrf_hash;
  domain::Timestamp expires_at = domain::Timestamp::FromUnixMicros(0);
};

struct AuditEntry {
  std::int64_t client_id = kAgencyClient;
  domain::Timestamp at = domain::Timestamp::FromUnixMicros(0);
  std::string actor;   // "user:anna", "key:3@ACME"
  std::string action;  // "POST /api/v1/claims"
  std::string target;
  int status = 0;
  std::string detail;
};

struct IdempotencyRecord {
  std::string request_hash;
  int status = 0;
  std::string content_type;
  std::string body;
};

struct WebhookEndpoint {
  std::int64_t client_id = 0;
  std::int64_t endpoint_id = 0;
  std::string url;
  std::string secret;
  bool active = true;
};

// One pending delivery: the event (client, case, seq) to one endpoint.
struct OutboxItem {
  std::int64_t client_id = 0;
  std::int64_t endpoint_id = 0;
  std::int64_t case_id = 0;
  std::int64_t seq = 0;
  int attempts = 0;
  domain::Timestamp next_attempt_at = domain::Timestamp::FromUnixMicros(0);
};

class AuthStore {
 public:
  virtual ~AuthStore() = default;

  // Users. AddUser fails with kAlreadyExists when the username is taken.
  virtual Result<User> AddUser(const User& user, domain::Timestamp now) = 0;
  virtual Result<std::optional<User>> FindUserByName(const std::string& username) = 0;
  virtual Result<std::optional<User>> FindUser(std::int64_t client_id, std::int64_t user_id) = 0;

  // API keys; the key itself is never stored.
  virtual Result<ApiKeyRecord> AddApiKey(const ApiKeyRecord& key, domain::Timestamp now) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKeyByHash(const std::string& key_hash) = 0;

  // Sessions.
  virtual Status AddSession(const SessionRecord& session, domain::Timestamp now) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // Audit log, newest last.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(std::int64_t client_id, int limit) = 0;

  // Idempotency: the stored first response, if any; Save keeps the first one (a second save of
  // the same key changes nothing).
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(std::int64_t client_id,
                                                                   const std::string& key) = 0;
  virtual Status SaveIdempotency(std::int64_t client_id, const std::string& key,
                                 const IdempotencyRecord& record, domain::Timestamp now) = 0;

  // Webhook endpoints of a client.
  virtual Result<WebhookEndpoint> AddWebhook(const WebhookEndpoint& endpoint,
                                             domain::Timestamp now) = 0;
  virtual Result<std::vector<WebhookEndpoint>> ListWebhooks(std::int64_t client_id) = 0;
  // Deactivates; pending deliveries to it are dropped. NotFound for another client's endpoint.
  virtual Status DeleteWebhook(std::int64_t client_id, std::int64_t endpoint_id) = 0;
  virtual Result<std::optional<WebhookEndpoint>> FindWebhook(std::int64_t client_id,
                                                             std::int64_t endpoint_id) = 0;

  // Outbox: pending items due at `now`, the head of each (endpoint, case) queue only, so events of
  // one case go out in seq order; at most `limit`.
  virtual Result<std::vector<OutboxItem>> DueDeliveries(domain::Timestamp now, int limit) = 0;
  virtual Status MarkDelivered(const OutboxItem& item, domain::Timestamp now) = 0;
  virtual Status MarkFailed(const OutboxItem& item, domain::Timestamp next_attempt,
                            const std::string& error) = 0;
  // Pending (undelivered) items of a client, for tests and /metrics.
  virtual Result<std::int64_t> PendingDeliveries(std::optional<std::int64_t> client_id) = 0;
};

}  // namespace quitt::app::auth
