#pragma once
// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto: the hash of the case-history chain.
// Pure computation; no I/O.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace quitt {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hasher: Update any number of times, then Finish once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  void Update(const Sha256Digest& digest);
  Sha256Digest Finish();

 private:
  void* context_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of includers
};

Sha256Digest Sha256Of(std::string_view bytes);
std::string ToHex(const Sha256Digest& digest);
// Parses 64 lowercase or uppercase hex digits; false when the text is not a digest.
bool FromHex(std::string_view hex, Sha256Digest& out);

}  // namespace quitt
