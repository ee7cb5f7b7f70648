#include "adapters/intake/contact_normalizer.h"

#include <phonenumbers/phonenumberutil.h>

#include <optional>

#include "common/text.h"

namespace quitt::adapters::intake {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

Result<std::string> NormalizePhoneByFullParse(std::string_view text, std::string_view region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  std::string input(Trim(text));
  auto error = util.Parse(input, std::string(region), &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    return InvalidArgument("'" + input + "' is not a phone number");
  }
  if (!util.IsValidNumber(number)) {
    return InvalidArgument("'" + input + "' is not a valid phone number for " +
                           std::string(region.empty() ? "its country" : region));
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

namespace {

// The calling codes of the fast path: single-region codes whose national prefix is "0", whose
// international call prefix is "00" and whose national prefix for parsing matches nothing but
// that leading 0 (libphonenumber's metadata for DE, AT and CH).
struct PlainNumberingPlan {
  std::string_view region;
  std::int32_t calling_code;
};
constexpr PlainNumberingPlan kPlainPlans[] = {{"DE", 49}, {"AT", 43}, {"CH", 41}};

const PlainNumberingPlan* PlanForRegion(std::string_view region) {
  for (const auto& plan : kPlainPlans) {
    if (plan.region == region) return &plan;
  }
  return nullptr;
}

const PlainNumberingPlan* PlanForDigits(std::string_view digits) {
  for (const auto& plan : kPlainPlans) {
    if (digits.size() > 2 && digits[0] - '0' == plan.calling_code / 10 &&
        digits[1] - '0' == plan.calling_code % 10) {
      return &plan;
    }
  }
  return nullptr;
}

// The number libphonenumber's Parse would build for the plain forms "+49 172 1234567",
// "0049 172 1234567" and, with a DE/AT/CH default region, "0172/1234567" (digits with spaces,
// hyphens and slashes only; the national part must not start with 0). Anything else: nullopt.
std::optional<PhoneNumber> ParsePlainNumber(std::string_view text, std::string_view region) {
  if (text.size() > 250) return std::nullopt;  // libphonenumber refuses longer input
  char digits[24];
  std::size_t count = 0;
  bool plus = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (count == sizeof digits) return std::nullopt;
      digits[count++] = c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '/') {
      return std::nullopt;
    }
  }
  std::string_view all(digits, count);
  const PlainNumberingPlan* plan = nullptr;
  std::string_view national;
  // "00" is the international call prefix of the fast path's regions only (011 in the US, ...).
  if (plus || (all.starts_with("00") && PlanForRegion(region) != nullptr)) {
    std::string_view international = plus ? all : all.substr(2);
    plan = PlanForDigits(international);
    if (plan == nullptr) return std::nullopt;
    national = international.substr(2);
  } else if (all.size() > 1 && all[0] == '0') {
    plan = PlanForRegion(region);
    if (plan == nullptr) return std::nullopt;
    national = all.substr(1);
  } else {
    return std::nullopt;
  }
  if (national.size() < 2 || national.size() > 15 || national[0] == '0') return std::nullopt;
  std::uint64_t value = 0;
  for (char c : national) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  PhoneNumber number;
  number.set_country_code(plan->calling_code);
  number.set_national_number(value);
  return number;
}

}  // namespace

// libphonenumber's Parse spends about 9 µs per number in ICU regular expressions (extensions,
// punctuation, prefixes); a hand-over file of a million customers spends most of its reading time
// there. The plain forms are built directly and libphonenumber still decides validity; a number
// that is not valid that way goes through the full Parse, so every error (and every unusual form)
// is libphonenumber's. contact_normalizer_test compares both ways on many numbers.
Result<std::string> NormalizePhone(std::string_view text, std::string_view region) {
  std::string_view input = Trim(text);
  if (auto plain = ParsePlainNumber(input, region)) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    if (util.IsValidNumber(*plain)) {
      return "+" + std::to_string(plain->country_code()) + std::to_string(plain->national_number());
    }
  }
  return NormalizePhoneByFullParse(text, region);
}

Result<std::string> NormalizeEmail(std::string_view text) {
  std::string address(Trim(text));
  auto at = address.find('@');
  auto bad = [&](const char* why) {
    return InvalidArgument("'" + address + "' is not an e-mail address: " + why);
  };
  if (at == std::string::npos || at == 0 || at != address.rfind('@')) return bad("needs one @");
  std::string domain = ToLowerAscii(address.substr(at + 1));
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') {
    return bad("the domain needs a dot");
  }
  for (char c : address) {
    if (c == ' ' || c == ',' || c == ';' || c == '<' || c == '>' ||
        static_cast<unsigned char>(c) < 0x20) {
      return bad("contains a space or separator");
    }
  }
  return address.substr(0, at + 1) + domain;
}

Result<std::string> NormalizeCountry(std::string_view text) {
  std::string word = ToLowerAscii(Trim(text));
  static const std::pair<const char*, const char*> kNames[] = {
      {"deutschland", "DE"}, {"germany", "DE"},     {"d", "DE"},           {"österreich", "AT"},
      {"oesterreich", "AT"}, {"austria", "AT"},     {"a", "AT"},           {"schweiz", "CH"},
      {"switzerland", "CH"}, {"niederlande", "NL"}, {"netherlands", "NL"}, {"frankreich", "FR"},
      {"france", "FR"},      {"italien", "IT"},     {"italy", "IT"},       {"polen", "PL"},
      {"poland", "PL"},      {"belgien", "BE"},     {"belgium", "BE"},     {"luxemburg", "LU"},
      {"luxembourg", "LU"},  {"dänemark", "DK"},    {"denmark", "DK"},     {"spanien", "ES"},
      {"spain", "ES"},       {"tschechien", "CZ"},  {"czechia", "CZ"},
  };
  for (const auto& [name, code] : kNames) {
    if (word == name) return std::string(code);
  }
  if (word.size() == 2 && word[0] >= 'a' && word[0] <= 'z' && word[1] >= 'a' && word[1] <= 'z') {
    return ToUpperAscii(word);
  }
  return InvalidArgument("'" + std::string(text) +
                         "' is not a country (use an ISO 3166 code such as DE)");
}

}  // namespace quitt::adapters::intake
