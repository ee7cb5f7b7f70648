#include "domain/payment/epc_qr.h"

#include <cstdint>
#include <vector>

#include "common/text.h"

namespace quitt::domain::payment {
namespace {

// Characters (code points), not bytes, count against the EPC length limits.
std::size_t Utf8Length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status CheckText(std::string_view field, std::string_view value, std::size_t max_chars) {
  if (!IsValidUtf8(value)) {
    return InvalidArgument("EPC QR: " + std::string(field) + " is not valid UTF-8");
  }
  for (unsigned char c : value) {
    // A line break inside an element would shift every following element.
    if (c < 0x20 || c == 0x7F) {
      return InvalidArgument("EPC QR: " + std::string(field) +
                             " contains a control character or line break");
    }
  }
  const std::size_t length = Utf8Length(value);
  if (length > max_chars) {
    return InvalidArgument("EPC QR: " + std::string(field) + " has " + std::to_string(length) +
                           " characters, at most " + std::to_string(max_chars) + " are allowed");
  }
  return OkStatus();
}

// UTF-8 to ISO 8859-1; a character outside Latin-1 is an error, never silently replaced.
Result<std::string> ToLatin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      const auto next = static_cast<unsigned char>(utf8[i + 1]);
      out.push_back(static_cast<char>(((c & 0x03) << 6) | (next & 0x3F)));
      ++i;
    } else {
      return InvalidArgument(
          "EPC QR: the payload contains a character that ISO 8859-1 cannot encode; use UTF-8");
    }
  }
  return out;
}

bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string EpcAmountText(const Money& amount) {
  const std::int64_t cents = amount.minor_units();
  std::string text = std::to_string(cents / 100);
  const int fraction = static_cast<int>(cents % 100);
  if (fraction != 0) {
    text.push_back('.');
    text.push_back(static_cast<char>('0' + fraction / 10));
    if (fraction % 10 != 0) text.push_back(static_cast<char>('0' + fraction % 10));
  }
  return text;
}

Result<std::string> BuildEpcQrPayload(const EpcQrInput& input) {
  std::vector<std::string> lines;
  lines.push_back("BCD");
  lines.push_back(input.version == EpcVersion::k001 ? "001" : "002");
  lines.push_back(std::to_string(static_cast<int>(input.charset)));
  lines.push_back("SCT");

  if (input.bic.empty()) {
    if (input.version == EpcVersion::k001) {
      return InvalidArgument("EPC QR: bic is required in version 001");
    }
  } else {
    bool well_formed = input.bic.size() == 8 || input.bic.size() == 11;
    for (std::size_t i = 0; well_formed && i < input.bic.size(); ++i) {
      const char c = input.bic[i];
      // BIC: 4 letters bank, 2 letters country, 2 alnum location, optional 3 alnum branch.
      well_formed = i >= 4 && i < 6 ? (c >= 'A' && c <= 'Z') : IsUpperAlnum(c);
    }
    if (!well_formed) {
      return InvalidArgument("EPC QR: bic '" + input.bic + "' is not an 8 or 11 character BIC");
    }
  }
  lines.push_back(input.bic);

  if (Trim(input.beneficiary_name).empty()) {
    return InvalidArgument("EPC QR: beneficiary name is required");
  }
  QUITT_RETURN_IF_ERROR(CheckText("beneficiary name", input.beneficiary_name, 70));
  lines.push_back(input.beneficiary_name);
  auto iban = Iban::Parse(input.iban);
  if (!iban.ok()) return iban.error().WithContext("EPC QR: beneficiary IBAN");
  lines.push_back(iban->electronic());

  if (input.amount) {
    const Money& amount = *input.amount;
    if (amount.currency() != Currency::Eur()) {
      return InvalidArgument("EPC QR: amount must be in EUR, not " +
                             std::string(amount.currency().code()));
    }
    if (amount.minor_units() < 1 || amount.minor_units() > 99'999'999'999) {
      return InvalidArgument("EPC QR: amount " + amount.ToDecimalString() +
                             " is outside 0.01 .. 999999999.99 EUR");
    }
    lines.push_back("EUR" + EpcAmountText(amount));
  } else {
    lines.push_back("");
  }

  if (!input.purpose.empty()) {
    bool ok = input.purpose.size() == 4;
    for (char c : input.purpose) ok = ok && IsUpperAlnum(c);
    if (!ok) {
      return InvalidArgument("EPC QR: purpose code '" + input.purpose +
                             "' must be 4 upper-case letters or digits");
    }
  }
  lines.push_back(input.purpose);

  if (input.reference && !input.text.empty()) {
    return InvalidArgument(
        "EPC QR: give either the creditor reference or the remittance text, not both");
  }
  lines.push_back(input.reference ? input.reference->electronic() : "");
  QUITT_RETURN_IF_ERROR(CheckText("remittance text", input.text, 140));
  lines.push_back(input.text);
  QUITT_RETURN_IF_ERROR(CheckText("hint", input.hint, 70));
  lines.push_back(input.hint);

  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string payload;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) payload.push_back('\n');
    payload += lines[i];
  }
  if (input.charset == EpcCharset::kIso8859_1) {
    QUITT_ASSIGN_OR_RETURN(payload, ToLatin1(payload));
  }
  if (payload.size() > kEpcMaxPayloadBytes) {
    return InvalidArgument("EPC QR: payload has " + std::to_string(payload.size()) +
                           " bytes, at most " + std::to_string(kEpcMaxPayloadBytes) +
                           " fit a version 13 QR code at level M");
  }
  return payload;
}

}  // namespace quitt::domain::payment
