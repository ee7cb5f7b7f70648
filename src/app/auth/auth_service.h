#pragma once
// AuthService: who is calling, and what they may see. Users log in with a password (Argon2id via
// libsodium's crypto_pwhash_str) and get a session (cookie token + CSRF token, both random, stored
// hashed, with an expiry); client systems send an API key (random, stored as SHA-256). Both end in
// a Principal: a role and, for client users and keys, the one client whose data they may touch.
//
// Failed logins are rate limited per username and per remote address. Thread-safe: the limiter
// and the key cache are guarded; store access goes through the AuthStore passed to each call
// (one per thread).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/auth/auth_store.h"
#include "app/ports.h"

namespace quitt::app::auth {

struct Principal {
  Role role = Role::kAgent;
  // The client whose data this principal may see; nullopt for agency staff (all clients).
  std::optional<std::int64_t> client_id;
  std::string actor;         // "user:anna", "key:3" — written into case events and the audit
  bool via_session = false;  // cookie session: writes need the CSRF token
  std::string csrf_hash;     // of the session, when via_session

  bool IsStaff() const { return !client_id.has_value(); }
  // May this principal see data of `client`?
  bool Sees(std::int64_t client) const { return !client_id || *client_id == client; }
};

struct LoginResult {
  Principal principal;
  std::string session_token;  // the cookie value
  std::string csrf_token;
  domain::Timestamp expires_at = domain::Timestamp::FromUnixMicros(0);
};

struct AuthOptions {
  std::int64_t session_seconds = 8 * 3600;
  int max_failed_logins = 5;               // per username and per address ...
  std::int64_t failed_login_window = 900;  // ... within this many seconds
};

// "$argon2id$..." from libsodium (interactive limits). Errors only when out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& password, const std::string& hash);
// 32 random bytes as lowercase hex, from libsodium's CSPRNG.
std::string RandomToken();
// Lowercase hex SHA-256, how tokens and keys are stored.
std::string TokenHash(const std::string& token);
// Constant-time comparison of two strings of equal length.
bool SameSecret(const std::string& a, const std::string& b);

class AuthService {
 public:
  AuthService(Clock& clock, AuthOptions options = {});

  // Creates a user; a client_user needs a client id, staff roles must not have one. Passwords
  // shorter than 10 characters are refused (kInvalidArgument naming "password").
  Result<User> CreateUser(AuthStore& store, const std::string& username,
                          const std::string& password, Role role,
                          std::optional<std::int64_t> client_id);
  // Creates an API key for a client; returns the key text, shown once ("qk_<id>_<hex>").
  Result<std::string> CreateApiKey(AuthStore& store, std::int64_t client_id,
                                   const std::string& label);

  // kUnauthenticated is not a code of ours: a wrong name or password is kNotFound ("wrong
  // username or password", the same text for both), a locked-out caller kUnavailable.
  Result<LoginResult> Login(AuthStore& store, const std::string& username,
                            const std::string& password, const std::string& remote);
  Status Logout(AuthStore& store, const std::string& session_token);

  // The principal of an "Authorization: Bearer <key>" value or a session cookie; nullopt when
  // unknown, revoked or expired.
  Result<std::optional<Principal>> AuthenticateKey(AuthStore& store, const std::string& key);
  Result<std::optional<Principal>> AuthenticateSession(AuthStore& store,
                                                       const std::string& session_token);

 private:
  bool LockedOut(const std::string& who, domain::Timestamp now);
  void RecordFailure(const std::string& who, domain::Timestamp now);

  Clock& clock_;
  AuthOptions options_;
  std::mutex mutex_;
  struct Failures {
    int count = 0;
    domain::Timestamp window_start = domain::Timestamp::FromUnixMicros(0);
  };
  std::unordered_map<std::string, Failures> failures_;
  // Key hash → principal: keys are checked on every request and never change except by
  // revocation, which takes effect within the cache lifetime (60 s).
  struct CachedKey {
    std::optional<Principal> principal;
    domain::Timestamp until = domain::Timestamp::FromUnixMicros(0);
  };
  std::unordered_map<std::string, CachedKey> key_cache_;
};

}  // namespace quitt::app::auth
