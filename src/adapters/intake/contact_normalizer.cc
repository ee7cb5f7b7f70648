#include "adapters/intake/contact_normalizer.h"

#include <phonenumbers/phonenumberutil.h>

#include "common/text.h"

namespace quitt::adapters::intake {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

Result<std::string> NormalizePhone(std::string_view text, std::string_view region) {
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
