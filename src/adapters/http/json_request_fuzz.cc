// libFuzzer target: untrusted request bodies through every parser of json_request.h. Any crash,
// sanitizer report or exception escaping is a bug. Build with clang and -DQUITT_FUZZ=ON, run e.g.
//   build-fuzz/src/adapters/http/json_request_fuzz -max_total_time=60 -max_len=65536
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/http/json_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace quitt::adapters::http;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseJsonBody(body, true);
  if (!parsed) return 0;
  const nlohmann::json& value = *parsed;
  if (value.is_object()) {
    (void)ClaimRowsFromBody(value, false);
    (void)ClaimRowsFromBody(value, true, 64);
    (void)ParseNoteRequest(value);
    (void)ParseRecallRequest(value);
    (void)ParseDirectPaymentRequest(value);
    (void)ParseClientRequest(value);
    (void)ParseWebhookRequest(value);
    (void)ParseLoginRequest(value);
    (void)ParseRunRequest(value);
  }
  return 0;
}
