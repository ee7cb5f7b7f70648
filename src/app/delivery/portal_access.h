#pragma once
// Portal access per case and tracking tokens per message.
//
// PIN (printed on every letter, e-mail and SMS with the case number and the portal link): derived,
// never stored. PIN = 8 decimal digits of HMAC-SHA256(secret, "quitt-portal-pin" 0 case number 0
// salt); the salt is 16 bytes from libsodium's CSPRNG (randombytes_buf), recorded once per case
// as a `portal_access_issued` event. So a letter made again prints the same PIN, the database holds
// nothing from which the PIN follows without the server secret ($QUITT_PORTAL_SECRET, at least 32
// characters, kept out of the database), and issuing a new salt revokes the old PIN. The portal
// checks a (case number, PIN) pair with PinVerifier, which limits failed attempts.
//
// Tracking token (e-mail pixel and link, SMS link): "<case number>.<26 base32 characters of
// HMAC-SHA256(secret, "quitt-track" 0 message id)>". The case number lets the token be checked
// without an index; the MAC makes it unguessable (130 bits) and ties it to one message attempt.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/ports.h"
#include "common/status.h"

namespace quitt::app::delivery {

// InvalidArgument unless the secret has at least 32 characters.
Status CheckPortalSecret(std::string_view secret);

// 16 random bytes (libsodium CSPRNG) as 32 lowercase hex characters.
std::string NewPortalSalt();

// The case's 8-digit PIN (leading zeros kept).
std::string PortalPin(std::string_view secret, std::string_view case_number, std::string_view salt);

std::string TrackingToken(std::string_view secret, std::string_view case_number,
                          std::string_view message_id);
// The case number of a syntactically valid token; nullopt otherwise (no store access).
std::optional<std::string> CaseOfTrackingToken(std::string_view token);
// Constant-time comparison of two strings of equal length (false on different lengths).
bool SameSecret(std::string_view a, std::string_view b);

// Checks (case number, PIN) for the portal, with attempt limiting: at most `max_failures` PINs
// are tried per case number within `window`; the attempt that uses up the last one and every
// attempt after it until `lock` has passed answer kLocked (also for the right PIN). The attempt
// is counted before the PIN is compared, so parallel requests cannot try more PINs than the limit.
// Unknown case numbers count and answer like wrong PINs, so the portal does not tell which case
// numbers exist; malformed ones answer kWrong and are not tracked. At most `max_tracked` case
// numbers are tracked (expired entries are pruned first); beyond that new case numbers answer
// kLocked until entries expire, so spraying case numbers cannot reset anyone's counter. State is
// per process (one portal server); a restart forgets it. A per-client (IP) limit in front of this
// is still needed: it bounds tries per case number, not tries in total.
class PinVerifier {
 public:
  enum class Outcome { kOk, kWrong, kLocked };

  PinVerifier(CaseStore& store, Clock& clock, std::string secret, int max_failures = 5,
              std::int64_t window_seconds = 15 * 60, std::int64_t lock_seconds = 15 * 60,
              std::size_t max_tracked = 100000);

  Result<Outcome> Verify(const std::string& case_number, const std::string& pin);

  // Case numbers currently tracked (for tests and monitoring).
  std::size_t Tracked();

 private:
  struct Failures {
    int count = 0;  // attempts in the window, counted when they start
    domain::Timestamp first = domain::Timestamp::FromUnixMicros(0);
    domain::Timestamp locked_until = domain::Timestamp::FromUnixMicros(0);
  };
  void PruneExpired(domain::Timestamp now);  // mutex_ held

  CaseStore& store_;
  Clock& clock_;
  std::string secret_;
  int max_failures_;
  std::int64_t window_seconds_;
  std::int64_t lock_seconds_;
  std::size_t max_tracked_;
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

}  // namespace quitt::app::delivery
