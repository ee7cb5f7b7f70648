#include "app/auth/auth_service.h"

#include <sodium.h>

#include <cctype>

#include "common/check.h"
#include "common/sha256.h"

namespace quitt::app::auth {

namespace {

constexpr std::int64_t kKeyCacheSeconds = 60;

bool SodiumReady() {
  // sodium_init is idempotent and thread-safe; it returns -1 only when no entropy is available.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password) {
  if (!SodiumReady()) return Unavailable("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Unavailable("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (!SodiumReady()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken() {
  QUITT_CHECK(SodiumReady());
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex);
}

std::string TokenHash(const std::string& token) { return ToHex(Sha256Of(token)); }

bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

AuthService::AuthService(Clock& clock, AuthOptions options) : clock_(clock), options_(options) {}

Result<User> AuthService::CreateUser(AuthStore& store, const std::string& username,
                                     const std::string& password, Role role,
                                     std::optional<std::int64_t> client_id) {
  if (username.empty() || username.size() > 64) {
    return InvalidArgument("username: must have 1 to 64 characters");
  }
  for (char c : username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
          c == '@')) {
      return InvalidArgument("username: only letters, digits and . - _ @ are allowed");
    }
  }
  if (password.size() < 10) return InvalidArgument("password: needs at least 10 characters");
  if (role == Role::kClientUser && !client_id) {
    return InvalidArgument("client: a client_user belongs to a client");
  }
  if (role != Role::kClientUser && client_id) {
    return InvalidArgument("client: only client_user accounts belong to a client");
  }
  QUITT_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  User user;
  user.client_id = client_id.value_or(kAgencyClient);
  user.username = username;
  user.role = role;
  user.password_hash = std::move(hash);
  return store.AddUser(user, clock_.Now());
}

Result<std::string> AuthService::CreateApiKey(AuthStore& store, std::int64_t client_id,
                                              const std::string& label) {
  if (client_id <= 0) return InvalidArgument("client: an API key belongs to a client");
  const std::string secret = RandomToken();
  ApiKeyRecord record;
  record.client_id = client_id;
  record.label = label;
  // The id is only known after the insert, so the hash covers the secret part alone; the id in
  // the key text is informational.
  record.key_hash = TokenHash(secret);
  record.prefix = secret.substr(0, 8);
  QUITT_ASSIGN_OR_RETURN(ApiKeyRecord stored, store.AddApiKey(record, clock_.Now()));
  return "qk_" + std::to_string(stored.key_id) + "_" + secret;
}

bool AuthService::LockedOut(const std::string& who, domain::Timestamp now) {
  auto it = failures_.find(who);
  if (it == failures_.end()) return false;
  if (now > it->second.window_start.AddSeconds(options_.failed_login_window)) {
    failures_.erase(it);
    return false;
  }
  return it->second.count >= options_.max_failed_logins;
}

void AuthService::RecordFailure(const std::string& who, domain::Timestamp now) {
  auto& entry = failures_[who];
  if (entry.count == 0 || now > entry.window_start.AddSeconds(options_.failed_login_window)) {
    entry.count = 0;
    entry.window_start = now;
  }
  ++entry.count;
}

Result<LoginResult> AuthService::Login(AuthStore& store, const std::string& username,
                                       const std::string& password, const std::string& remote) {
  const domain::Timestamp now = clock_.Now();
  const std::string by_user = "user:" + username;
  const std::string by_address = "addr:" + remote;
  {
    std::lock_guard lock(mutex_);
    if (LockedOut(by_user, now) || LockedOut(by_address, now)) {
      return Unavailable("too many failed logins; try again later");
    }
  }
  QUITT_ASSIGN_OR_RETURN(auto user, store.FindUserByName(username));
  // Verify against a hash even for unknown users would equalise timing; the rate limit bounds
  // guessing either way, so unknown names just fail.
  if (!user || user->disabled || !VerifyPassword(password, user->password_hash)) {
    std::lock_guard lock(mutex_);
    RecordFailure(by_user, now);
    RecordFailure(by_address, now);
    return NotFound("wrong username or password");
  }
  {
    std::lock_guard lock(mutex_);
    failures_.erase(by_user);
  }
  LoginResult result;
  result.session_token = RandomToken();
  result.csrf_token = RandomToken();
  result.expires_at = now.AddSeconds(options_.session_seconds);
  SessionRecord session;
  session.client_id = user->client_id;
  session.token_hash = TokenHash(result.session_token);
  session.user_id = user->user_id;
  session.csrf_hash = TokenHash(result.csrf_token);
  session.expires_at = result.expires_at;
  QUITT_RETURN_IF_ERROR(store.AddSession(session, now));
  result.principal.role = user->role;
  if (user->role == Role::kClientUser) result.principal.client_id = user->client_id;
  result.principal.actor = "user:" + user->username;
  result.principal.via_session = true;
  result.principal.csrf_hash = session.csrf_hash;
  return result;
}

Status AuthService::Logout(AuthStore& store, const std::string& session_token) {
  return store.DeleteSession(TokenHash(session_token));
}

Result<std::optional<Principal>> AuthService::AuthenticateKey(AuthStore& store,
                                                              const std::string& key) {
  // "qk_<id>_<64 hex>"
  const std::size_t last = key.rfind('_');
  if (key.rfind("qk_", 0) != 0 || last == std::string::npos || key.size() - last - 1 != 64) {
    return std::optional<Principal>();
  }
  const std::string hash = TokenHash(key.substr(last + 1));
  const domain::Timestamp now = clock_.Now();
  {
    std::lock_guard lock(mutex_);
    auto it = key_cache_.find(hash);
    if (it != key_cache_.end() && now < it->second.until) return it->second.principal;
  }
  QUITT_ASSIGN_OR_RETURN(auto record, store.FindApiKeyByHash(hash));
  std::optional<Principal> principal;
  if (record && !record->revoked) {
    principal.emplace();
    principal->role = Role::kClientUser;
    principal->client_id = record->client_id;
    principal->actor = "key:" + std::to_string(record->key_id);
  }
  std::lock_guard lock(mutex_);
  if (key_cache_.size() > 10000) key_cache_.clear();  // bounded; unknown keys fill it otherwise
  key_cache_[hash] = {principal, now.AddSeconds(kKeyCacheSeconds)};
  return principal;
}

Result<std::optional<Principal>> AuthService::AuthenticateSession(
    AuthStore& store, const std::string& session_token) {
  if (session_token.size() != 64) return std::optional<Principal>();
  QUITT_ASSIGN_OR_RETURN(auto session, store.FindSession(TokenHash(session_token)));
  if (!session || clock_.Now() >= session->expires_at) return std::optional<Principal>();
  QUITT_ASSIGN_OR_RETURN(auto user, store.FindUser(session->client_id, session->user_id));
  if (!user || user->disabled) return std::optional<Principal>();
  Principal principal;
  principal.role = user->role;
  if (user->role == Role::kClientUser) principal.client_id = user->client_id;
  principal.actor = "user:" + user->username;
  principal.via_session = true;
  principal.csrf_hash = session->csrf_hash;
  return std::optional<Principal>(principal);
}

}  // namespace quitt::app::auth
