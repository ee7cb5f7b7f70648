#include "domain/iban.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace quitt::domain {

int Mod97(std::string_view text) {
  int remainder = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return -1;
    }
  }
  return remainder;
}

namespace {

struct CountryFormat {
  const char* country;
  const char* bban;  // SWIFT notation: <length>!<n|a|c> groups
};

// BBAN structure per country. Source: SWIFT IBAN Registry release 101
// (https://www.swift.com/standards/data-standards/iban), as transcribed in
// ../shared/standards/vectors/iban/iban_bban_formats_stdnum.dat. Sorted by country.
constexpr CountryFormat kFormats[] = {
    {"AD", "4!n4!n12!c"},
    {"AE", "3!n16!n"},
    {"AL", "8!n16!c"},
    {"AT", "5!n11!n"},
    {"AZ", "4!a20!c"},
    {"BA", "3!n3!n8!n2!n"},
    {"BE", "3!n7!n2!n"},
    {"BG", "4!a4!n2!n8!c"},
    {"BH", "4!a14!c"},
    {"BI", "5!n5!n11!n2!n"},
    {"BR", "8!n5!n10!n1!a1!c"},
    {"BY", "4!c4!n16!c"},
    {"CH", "5!n12!c"},
    {"CR", "4!n14!n"},
    {"CY", "3!n5!n16!c"},
    {"CZ", "4!n16!n"},
    {"DE", "8!n10!n"},
    {"DJ", "5!n5!n11!n2!n"},
    {"DK", "4!n9!n1!n"},
    {"DO", "4!c20!n"},
    {"EE", "2!n14!n"},
    {"EG", "4!n4!n17!n"},
    {"ES", "4!n4!n1!n1!n10!n"},
    {"FI", "3!n11!n"},
    {"FK", "2!a12!n"},
    {"FO", "4!n9!n1!n"},
    {"FR", "5!n5!n11!c2!n"},
    {"GB", "4!a6!n8!n"},
    {"GE", "2!a16!n"},
    {"GI", "4!a15!c"},
    {"GL", "4!n9!n1!n"},
    {"GR", "3!n4!n16!c"},
    {"GT", "4!c20!c"},
    {"HN", "4!a20!n"},
    {"HR", "7!n10!n"},
    {"HU", "3!n4!n1!n15!n1!n"},
    {"IE", "4!a6!n8!n"},
    {"IL", "3!n3!n13!n"},
    {"IQ", "4!a3!n12!n"},
    {"IS", "4!n2!n6!n10!n"},
    {"IT", "1!a5!n5!n12!c"},
    {"JO", "4!a4!n18!c"},
    {"KW", "4!a22!c"},
    {"KZ", "3!n13!c"},
    {"LB", "4!n20!c"},
    {"LC", "4!a24!c"},
    {"LI", "5!n12!c"},
    {"LT", "5!n11!n"},
    {"LU", "3!n13!c"},
    {"LV", "4!a13!c"},
    {"LY", "3!n3!n15!n"},
    {"MC", "5!n5!n11!c2!n"},
    {"MD", "2!c18!c"},
    {"ME", "3!n13!n2!n"},
    {"MK", "3!n10!c2!n"},
    {"MN", "4!n12!n"},
    {"MR", "5!n5!n11!n2!n"},
    {"MT", "4!a5!n18!c"},
    {"MU", "4!a2!n2!n12!n3!n3!a"},
    {"NI", "4!a20!n"},
    {"NL", "4!a10!n"},
    {"NO", "4!n6!n1!n"},
    {"OM", "3!n16!c"},
    {"PK", "4!a16!c"},
    {"PL", "8!n16!n"},
    {"PS", "4!a21!c"},
    {"PT", "4!n4!n11!n2!n"},
    {"QA", "4!a21!c"},
    {"RO", "4!a16!c"},
    {"RS", "3!n13!n2!n"},
    {"RU", "9!n5!n15!c"},
    {"SA", "2!n18!c"},
    {"SC", "4!a2!n2!n16!n3!a"},
    {"SD", "2!n12!n"},
    {"SE", "3!n16!n1!n"},
    {"SI", "5!n8!n2!n"},
    {"SK", "4!n6!n10!n"},
    {"SM", "1!a5!n5!n12!c"},
    {"SO", "4!n3!n12!n"},
    {"ST", "4!n4!n11!n2!n"},
    {"SV", "4!a20!n"},
    {"TL", "3!n14!n2!n"},
    {"TN", "2!n3!n13!n2!n"},
    {"TR", "5!n1!n16!c"},
    {"UA", "6!n19!c"},
    {"VA", "3!n15!n"},
    {"VG", "4!a16!n"},
    {"XK", "4!n10!n2!n"},
    {"YE", "4!a4!n18!c"},
};

const CountryFormat* FindFormat(std::string_view country) {
  auto it = std::lower_bound(
      std::begin(kFormats), std::end(kFormats), country,
      [](const CountryFormat& f, std::string_view c) { return std::string_view(f.country) < c; });
  if (it == std::end(kFormats) || std::string_view(it->country) != country) return nullptr;
  return it;
}

// Length of the BBAN described by a SWIFT format string.
std::size_t BbanLength(std::string_view format) {
  std::size_t total = 0;
  std::size_t number = 0;
  for (char c : format) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<std::size_t>(c - '0');
    } else if (c == 'n' || c == 'a' || c == 'c') {
      total += number;
      number = 0;
    }
  }
  return total;
}

bool MatchesFormat(std::string_view bban, std::string_view format) {
  std::size_t pos = 0;
  std::size_t number = 0;
  for (char c : format) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<std::size_t>(c - '0');
    } else if (c == 'n' || c == 'a' || c == 'c') {
      for (std::size_t i = 0; i < number; ++i, ++pos) {
        if (pos >= bban.size()) return false;
        char ch = bban[pos];
        bool digit = ch >= '0' && ch <= '9';
        bool letter = ch >= 'A' && ch <= 'Z';
        if ((c == 'n' && !digit) || (c == 'a' && !letter) || (c == 'c' && !digit && !letter)) {
          return false;
        }
      }
      number = 0;
    }
  }
  return pos == bban.size();
}

// Spanish "dígitos de control": the first over "00" + bank + branch, the second over the
// account number, weights 1,2,4,8,5,10,9,7,3,6 mod 11. Source: Asociación Española de Banca,
// Cuaderno 57 / norma CCC (as implemented by python-stdnum's es.ccc).
int SpanishCheckDigit(std::string_view digits) {
  static constexpr int kWeights[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
  int sum = 0;
  for (std::size_t i = 0; i < 10; ++i) sum += (digits[i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 11) return 0;
  if (check == 10) return 1;
  return check;
}

bool SpanishNationalCheckOk(std::string_view bban) {
  std::string first = "00" + std::string(bban.substr(0, 8));
  int d1 = SpanishCheckDigit(first);
  int d2 = SpanishCheckDigit(bban.substr(10, 10));
  return bban[8] - '0' == d1 && bban[9] - '0' == d2;
}

}  // namespace

Result<Iban> Iban::Parse(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '.' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    compact.push_back(c);
  }
  auto bad = [&](const std::string& why) {
    return InvalidArgument("IBAN '" + std::string(text) + "' is invalid: " + why);
  };
  if (compact.size() < 5) return bad("too short");
  for (char c : compact) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return bad("only letters and digits are allowed");
    }
  }
  const CountryFormat* format = FindFormat(std::string_view(compact).substr(0, 2));
  if (format == nullptr) return bad("unknown country code '" + compact.substr(0, 2) + "'");
  const std::size_t expected = 4 + BbanLength(format->bban);
  if (compact.size() != expected) {
    return bad("a " + std::string(format->country) + " IBAN has " + std::to_string(expected) +
               " characters, this one has " + std::to_string(compact.size()));
  }
  if (!(compact[2] >= '0' && compact[2] <= '9' && compact[3] >= '0' && compact[3] <= '9')) {
    return bad("check digits must be digits");
  }
  std::string_view bban = std::string_view(compact).substr(4);
  if (!MatchesFormat(bban, format->bban)) {
    return bad("account part does not match the " + std::string(format->country) + " format");
  }
  const int check = (compact[2] - '0') * 10 + (compact[3] - '0');
  std::string rearranged = std::string(bban) + compact.substr(0, 4);
  if (check < 2 || check > 98 || Mod97(rearranged) != 1) return bad("check digits do not match");
  if (format->country == std::string_view("ES") && !SpanishNationalCheckOk(bban)) {
    return bad("Spanish national check digits do not match");
  }
  return Iban(std::move(compact));
}

std::string Iban::Printed() const {
  std::string out;
  for (std::size_t i = 0; i < value_.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(value_[i]);
  }
  return out;
}

}  // namespace quitt::domain
