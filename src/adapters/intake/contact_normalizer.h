#pragma once
// Normalises the contact data of an intake row: phone numbers to E.164 with libphonenumber
// (the customer's country is the default region), e-mail addresses to a checked lower-case
// domain, countries to ISO 3166-1 alpha-2. Thread-safe (libphonenumber's util is).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::adapters::intake {

// "030 1234567" with region "DE" → "+49301234567". Errors say why the number is not usable.
Result<std::string> NormalizePhone(std::string_view text, std::string_view region);
// NormalizePhone's fast path alone: the E.164 number of a plain, valid German, Austrian or Swiss
// form; nullopt for anything else (NormalizePhoneByFullParse decides that).
std::optional<std::string> NormalizePlainPhone(std::string_view text, std::string_view region);
// The same through libphonenumber's full Parse, without NormalizePhone's fast path for the plain
// German, Austrian and Swiss forms: the reference that fast path is tested against.
Result<std::string> NormalizePhoneByFullParse(std::string_view text, std::string_view region);
// libphonenumber's IsValidNumber for a calling code and national significant number (1 to 15
// digits, no leading zero: the caller makes sure), as NormalizePhone's fast path decides it: by
// libphonenumber's own patterns run with PCRE2 for DE, AT and CH, by libphonenumber otherwise. For
// contact_normalizer_test.
bool IsValidNationalNumber(std::int32_t calling_code, std::string_view national_number);
// Whether those patterns were read from libphonenumber's metadata (else it decides every number).
bool NationalPatternsLoaded();
// "Max.Muster@Example.DE " → "Max.Muster@example.de"; InvalidArgument if it cannot be an address.
Result<std::string> NormalizeEmail(std::string_view text);
// "DE", "de", "Deutschland", "Germany", "D" → "DE"; other two-letter codes are upper-cased.
Result<std::string> NormalizeCountry(std::string_view text);

}  // namespace quitt::adapters::intake
