#include "adapters/intake/contact_normalizer.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "common/text.h"

// libphonenumber's compiled-in metadata (its metadata.h, which the Debian package does not
// install; the functions are exported). Read once to check plain numbers against the same
// patterns libphonenumber uses, see NationalPatterns below.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

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

// libphonenumber's validity check for one region: the national number must match the general
// description and then one of the number types (premium rate ... fixed line, mobile), each a
// list of possible lengths and a regular expression (PhoneNumberUtil::GetNumberTypeHelper and
// IsNumberMatchingDesc). libphonenumber runs those expressions with ICU, converting the number
// to UTF-16 and hashing the pattern text (several kilobytes for German fixed lines) on each use:
// about 4 µs per number, most of a large import's reading time. The same patterns from the same
// metadata, compiled once with PCRE2 (JIT), take about 0.1 µs. contact_normalizer_test compares
// the two on a large set of numbers of each region.
class NationalPatterns {
 public:
  // The patterns of DE, AT and CH; none (and libphonenumber decides) if anything is unexpected.
  static const NationalPatterns& Get() {
    static const NationalPatterns patterns;
    return patterns;
  }
  bool loaded() const { return !regions_.empty(); }
  // nullopt: no patterns for this calling code, or PCRE2 failed; ask libphonenumber.
  std::optional<bool> IsValid(std::int32_t calling_code, std::string_view national) const {
    for (const auto& region : regions_) {
      if (region.calling_code != calling_code) continue;
      std::optional<bool> general = Matches(region.general, national);
      if (general != true) return general;
      for (const auto& type : region.types) {
        std::optional<bool> matches = Matches(type, national);
        if (matches != false) return matches;
      }
      return false;
    }
    return std::nullopt;
  }

 private:
  struct CodeDeleter {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
  };
  struct Description {
    std::vector<int> possible_lengths;                 // empty: any length
    std::unique_ptr<pcre2_code, CodeDeleter> pattern;  // null: matches nothing
  };
  struct Region {
    std::int32_t calling_code = 0;
    Description general;
    std::vector<Description> types;
  };

  NationalPatterns() {
    i18n::phonenumbers::PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                   i18n::phonenumbers::metadata_size())) {
      return;
    }
    std::vector<Region> regions;
    for (const auto& plan : kPlainPlans) {
      const i18n::phonenumbers::PhoneMetadata* found = nullptr;
      for (const auto& metadata : collection.metadata()) {
        if (metadata.id() == plan.region) found = &metadata;
      }
      if (found == nullptr || found->country_code() != plan.calling_code) return;
      Region region;
      region.calling_code = plan.calling_code;
      if (!Compile(found->general_desc(), region.general)) return;
      // libphonenumber's order; for validity only "any of them" counts.
      for (const auto* desc :
           {&found->premium_rate(), &found->toll_free(), &found->shared_cost(), &found->voip(),
            &found->personal_number(), &found->pager(), &found->uan(), &found->voicemail(),
            &found->fixed_line(), &found->mobile()}) {
        if (!Compile(*desc, region.types.emplace_back())) return;
      }
      regions.push_back(std::move(region));
    }
    regions_ = std::move(regions);
  }

  static bool Compile(const i18n::phonenumbers::PhoneNumberDesc& desc, Description& out) {
    out.possible_lengths.assign(desc.possible_length().begin(), desc.possible_length().end());
    const std::string& pattern = desc.national_number_pattern();
    if (pattern.empty()) return true;  // libphonenumber: an empty pattern matches no number
    int error = 0;
    PCRE2_SIZE offset = 0;
    // Whole-number match, as ICU's matches() in libphonenumber's FullMatch.
    out.pattern.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                    PCRE2_ANCHORED | PCRE2_ENDANCHORED, &error, &offset, nullptr));
    if (!out.pattern) return false;
    pcre2_jit_compile(out.pattern.get(), PCRE2_JIT_COMPLETE);  // without JIT it still matches
    return true;
  }

  // nullopt when PCRE2 reports an error (not a mismatch).
  static std::optional<bool> Matches(const Description& desc, std::string_view national) {
    if (!desc.possible_lengths.empty() &&
        std::find(desc.possible_lengths.begin(), desc.possible_lengths.end(),
                  static_cast<int>(national.size())) == desc.possible_lengths.end()) {
      return false;
    }
    if (!desc.pattern) return false;
    struct MatchDataDeleter {
      void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
    };
    thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> match_data(
        pcre2_match_data_create(1, nullptr));
    if (!match_data) return std::nullopt;
    const int result =
        pcre2_match(desc.pattern.get(), reinterpret_cast<PCRE2_SPTR>(national.data()),
                    national.size(), 0, 0, match_data.get(), nullptr);
    if (result >= 0) return true;
    if (result == PCRE2_ERROR_NOMATCH) return false;
    return std::nullopt;
  }

  std::vector<Region> regions_;
};

bool IsValidPlainNumber(const PhoneNumber& number) {
  const std::string national = std::to_string(number.national_number());
  if (auto valid = NationalPatterns::Get().IsValid(number.country_code(), national)) return *valid;
  return PhoneNumberUtil::GetInstance()->IsValidNumber(number);
}

}  // namespace

bool IsValidNationalNumber(std::int32_t calling_code, std::string_view national_number) {
  PhoneNumber number;
  number.set_country_code(calling_code);
  std::uint64_t value = 0;
  for (char c : national_number) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  number.set_national_number(value);
  return IsValidPlainNumber(number);
}

bool NationalPatternsLoaded() { return NationalPatterns::Get().loaded(); }

// libphonenumber's Parse spends about 9 µs per number in ICU regular expressions (extensions,
// punctuation, prefixes); a hand-over file of a million customers spends most of its reading time
// there. The plain forms are built directly and checked against libphonenumber's own patterns
// (NationalPatterns); a number that is not valid that way goes through the full Parse, so every
// error (and every unusual form) is libphonenumber's. contact_normalizer_test compares both ways
// on many numbers.
std::optional<std::string> NormalizePlainPhone(std::string_view text, std::string_view region) {
  if (auto plain = ParsePlainNumber(Trim(text), region)) {
    if (IsValidPlainNumber(*plain)) {
      return "+" + std::to_string(plain->country_code()) + std::to_string(plain->national_number());
    }
  }
  return std::nullopt;
}

Result<std::string> NormalizePhone(std::string_view text, std::string_view region) {
  if (auto plain = NormalizePlainPhone(text, region)) return *std::move(plain);
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
