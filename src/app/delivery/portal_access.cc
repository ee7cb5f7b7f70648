#include "app/delivery/portal_access.h"

#include <sodium.h>

#include <array>

#include "app/case_service.h"
#include "common/check.h"
#include "domain/case_number.h"

namespace quitt::app::delivery {
namespace {

bool SodiumReady() {
  // sodium_init is idempotent and thread-safe; -1 only when no entropy source is available.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

// HMAC-SHA256 over the parts joined by NUL bytes (so "a\0bc" and "ab\0c" differ).
Mac Hmac(std::string_view secret, std::initializer_list<std::string_view> parts) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) {
      const unsigned char zero = 0;
      crypto_auth_hmacsha256_update(&state, &zero, 1);
    }
    first = false;
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                                  part.size());
  }
  Mac mac;
  crypto_auth_hmacsha256_final(&state, mac.data());
  return mac;
}

constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr size_t kTokenMacChars = 26;  // 130 bits

}  // namespace

Status CheckPortalSecret(std::string_view secret) {
  if (secret.size() < 32) {
    return InvalidArgument("the portal secret must have at least 32 characters (has " +
                           std::to_string(secret.size()) + ")");
  }
  return OkStatus();
}

std::string NewPortalSalt() {
  QUITT_CHECK(SodiumReady());
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string PortalPin(std::string_view secret, std::string_view case_number,
                      std::string_view salt) {
  const Mac mac = Hmac(secret, {"quitt-portal-pin", case_number, salt});
  // 64 bits reduced mod 10^8: the bias (2^64 mod 10^8 / 2^64) is below 10^-11.
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | mac[i];
  std::string pin = std::to_string(value % 100000000ULL);
  return std::string(8 - pin.size(), '0') + pin;
}

std::string TrackingToken(std::string_view secret, std::string_view case_number,
                          std::string_view message_id) {
  const Mac mac = Hmac(secret, {"quitt-track", message_id});
  std::string out(case_number);
  out.push_back('.');
  // 5 bits per character from the MAC's bit stream.
  std::uint32_t buffer = 0;
  int bits = 0;
  size_t byte = 0;
  while (out.size() < case_number.size() + 1 + kTokenMacChars) {
    if (bits < 5) {
      buffer = (buffer << 8) | mac[byte++];
      bits += 8;
    }
    out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
    bits -= 5;
  }
  return out;
}

std::optional<std::string> CaseOfTrackingToken(std::string_view token) {
  const size_t dot = token.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || token.size() - dot - 1 != kTokenMacChars) {
    return std::nullopt;
  }
  for (char c : token.substr(dot + 1)) {
    if (kBase32.find(c) == std::string_view::npos) return std::nullopt;
  }
  for (char c : token.substr(0, dot)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return std::nullopt;
  }
  return std::string(token.substr(0, dot));
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

PinVerifier::PinVerifier(CaseStore& store, Clock& clock, std::string secret, int max_failures,
                         std::int64_t window_seconds, std::int64_t lock_seconds,
                         std::size_t max_tracked)
    : store_(store),
      clock_(clock),
      secret_(std::move(secret)),
      max_failures_(max_failures),
      window_seconds_(window_seconds),
      lock_seconds_(lock_seconds),
      max_tracked_(max_tracked) {}

std::size_t PinVerifier::Tracked() {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_.size();
}

void PinVerifier::PruneExpired(domain::Timestamp now) {
  std::erase_if(failures_, [&](const auto& entry) {
    const Failures& f = entry.second;
    return !(now < f.locked_until) && f.first.AddSeconds(window_seconds_) < now;
  });
}

Result<PinVerifier::Outcome> PinVerifier::Verify(const std::string& case_number,
                                                 const std::string& pin) {
  // Only well-formed case numbers are keys: the map is not filled with attacker-chosen strings,
  // and other spellings of one case number share its counter.
  auto parsed = domain::CaseNumber::Parse(case_number);
  if (!parsed.ok()) return Outcome::kWrong;
  const std::string key = parsed->ToString();
  const domain::Timestamp now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = failures_.find(key);
    if (it == failures_.end()) {
      if (failures_.size() >= max_tracked_) PruneExpired(now);
      if (failures_.size() >= max_tracked_) return Outcome::kLocked;
      it = failures_.emplace(key, Failures{}).first;
    }
    Failures& f = it->second;
    if (now < f.locked_until) return Outcome::kLocked;
    if (f.count == 0 || f.first.AddSeconds(window_seconds_) < now) {
      f.count = 0;
      f.first = now;
    }
    // Counted before the comparison: attempts beyond the limit never reach a PIN check.
    if (f.count >= max_failures_) return Outcome::kLocked;
    ++f.count;
  }
  bool right = false;
  auto found = store_.FindCaseByNumber(key);
  if (!found.ok()) return found.error();
  if (found->has_value()) {
    QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store_, **found));
    if (!view.state.portal_salt.empty()) {
      right = SameSecret(PortalPin(secret_, key, view.state.portal_salt), pin);
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = failures_.find(key);
  if (right) {
    if (it != failures_.end()) failures_.erase(it);
    return Outcome::kOk;
  }
  if (it == failures_.end()) return Outcome::kWrong;  // a right PIN in parallel reset it
  Failures& f = it->second;
  if (f.count >= max_failures_) {
    f.locked_until = now.AddSeconds(lock_seconds_);
    f.count = 0;
    return Outcome::kLocked;
  }
  return Outcome::kWrong;
}

}  // namespace quitt::app::delivery
