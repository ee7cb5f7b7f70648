#pragma once
// EPC QR code payload ("GiroCode", EPC069-12): the text a banking app reads from a QR code to
// prefill a SEPA credit transfer. Layout and limits as collected in
// shared/reference/german-collection-law.md § 7.6 and shared/standards/vectors/epc-qr/README.md
// (EPC069-12 v2.1; segno, neodynamic, Wikipedia as secondary sources):
//
//   BCD / 001|002 / charset / SCT / BIC / name / IBAN / EUR<amount> / purpose /
//   RF reference / free text / hint
//
// one element per line, LF separated, trailing empty elements left out, no final newline, at most
// 331 bytes in the declared character set. The structured reference and the free text exclude
// each other. Rendering the payload as an image is adapters/banking/qr_render.h.
#include <optional>
#include <string>

#include "common/status.h"
#include "domain/creditor_reference.h"
#include "domain/iban.h"
#include "domain/money.h"

namespace quitt::domain::payment {

enum class EpcVersion { k001, k002 };  // 002: BIC optional inside the EEA (recommended)
enum class EpcCharset { kUtf8 = 1, kIso8859_1 = 2 };

inline constexpr std::size_t kEpcMaxPayloadBytes = 331;

struct EpcQrInput {
  EpcVersion version = EpcVersion::k002;
  EpcCharset charset = EpcCharset::kUtf8;
  std::string bic;                             // 8 or 11 characters; required for version 001
  std::string beneficiary_name;                // UTF-8, 1..70 characters
  std::string iban;                            // checked with Iban::Parse (spaces allowed)
  std::optional<Money> amount;                 // EUR only, 0.01 .. 999999999.99
  std::string purpose;                         // optional 4-letter ISO 20022 purpose code
  std::optional<CreditorReference> reference;  // line 10 ...
  std::string text;                            // ... or line 11 (<= 140 characters), never both
  std::string hint;                            // beneficiary-to-originator info, <= 70
};

// The payload bytes (UTF-8, or ISO 8859-1 when that charset is chosen). Errors name the field.
Result<std::string> BuildEpcQrPayload(const EpcQrInput& input);

// "12.3" for 12.30 EUR, "1" for 1.00, "0.05": the amount element without trailing zeros.
std::string EpcAmountText(const Money& amount);

}  // namespace quitt::domain::payment
