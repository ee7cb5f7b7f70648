#include "adapters/intake/contact_normalizer.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <string>
#include <vector>

namespace quitt::adapters::intake {
namespace {

// NormalizePhone builds the plain German, Austrian and Swiss forms without libphonenumber's
// Parse. Whatever the input, it must answer exactly what the full Parse answers.
void ExpectSameAsFullParse(const std::string& text, const std::string& region, int& valid) {
  auto fast = NormalizePhone(text, region);
  auto full = NormalizePhoneByFullParse(text, region);
  ASSERT_EQ(fast.ok(), full.ok()) << "'" << text << "' in " << region << ": "
                                  << (fast.ok() ? *fast : fast.error().message()) << " vs "
                                  << (full.ok() ? *full : full.error().message());
  if (fast.ok()) {
    EXPECT_EQ(*fast, *full) << "'" << text << "' in " << region;
    ++valid;
  } else {
    EXPECT_EQ(fast.error().message(), full.error().message());
  }
}

TEST(NormalizePhone, KnownForms) {
  EXPECT_EQ(*NormalizePhone("+49 172 7731899", "DE"), "+491727731899");
  EXPECT_EQ(*NormalizePhone("0172/7731899", "DE"), "+491727731899");
  EXPECT_EQ(*NormalizePhone("0049 30 12345678", "AT"), "+493012345678");
  EXPECT_EQ(*NormalizePhone("01 5344450", "AT"), "+4315344450");
  EXPECT_EQ(*NormalizePhone("044 668 18 00", "CH"), "+41446681800");
  EXPECT_EQ(*NormalizePhone(" +33 1 42 68 53 00 ", "DE"), "+33142685300");  // full parse
  EXPECT_EQ(*NormalizePhone("(030) 1234567", "DE"), "+49301234567");        // full parse
  EXPECT_FALSE(NormalizePhone("0049 0172 1", "DE").ok());
  EXPECT_FALSE(NormalizePhone("+49 1", "DE").ok());
  // Very long input (more than libphonenumber's 250 characters) goes to the full parse.
  const std::string padded = "0172" + std::string(300, ' ') + "1234567";
  EXPECT_EQ(NormalizePhone(padded, "DE").ok(), NormalizePhoneByFullParse(padded, "DE").ok());
  // In the US "00" is not the international prefix: not read as +49.
  EXPECT_EQ(NormalizePhone("0049 172 7731899", "US").ok(),
            NormalizePhoneByFullParse("0049 172 7731899", "US").ok());
}

TEST(NormalizePhone, AgreesWithLibphonenumberOnGeneratedNumbers) {
  std::mt19937 random(20261205);
  auto pick = [&](const std::vector<std::string>& options) {
    return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(random)];
  };
  auto digits = [&](int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += static_cast<char>('0' + random() % 10);
    return text;
  };
  const std::vector<std::string> regions = {"DE", "AT", "CH", "FR", "US", "IT", "GB", "NL", ""};
  // Real leading digits (mobile and area codes) so that many numbers are valid, and random ones.
  const std::vector<std::string> national_starts = {
      "151", "152", "160", "162", "170", "171", "172", "176", "179", "30", "40", "89",
      "221", "69",  "711", "1",   "664", "650", "676", "316", "44",  "79", "76", "31",
      "22",  "800", "900", "180", "0",   "00",  "115", "32",  "6",   "7",  "2",  "9"};
  const std::vector<std::string> prefixes = {"+49", "+43", "+41",  "0049",  "0043", "0041",
                                             "0",   "+33", "+1",   "+39",   "+44",  "",
                                             "00",  "+",   "+490", "0049 0"};
  const std::vector<std::string> separators = {"", " ", "-", "/", " / ", "  ", "."};
  int valid = 0;
  for (int i = 0; i < 12000; ++i) {
    std::string number = pick(prefixes);
    number += pick(separators) + pick(national_starts) + pick(separators);
    number += digits(static_cast<int>(random() % 10));
    if (random() % 3 == 0) number += pick(separators) + digits(static_cast<int>(random() % 4));
    ExpectSameAsFullParse(number, pick(regions), valid);
    if (HasFatalFailure()) return;
  }
  // Most generated numbers are plain forms; a good share must be valid for the test to mean much.
  EXPECT_GT(valid, 2000);
}

// The fast path's validity (libphonenumber's patterns run with PCRE2) against libphonenumber's
// IsValidNumber itself: every leading one to three digits, every length, three times with random
// digits after.
TEST(IsValidNationalNumber, AgreesWithLibphonenumberForEveryPrefixAndLength) {
  ASSERT_TRUE(NationalPatternsLoaded()) << "the patterns must come from libphonenumber's metadata";
  const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  std::mt19937 random(20261206);
  for (std::int32_t calling_code : {49, 43, 41}) {
    int valid = 0, invalid = 0;
    for (int prefix = 1; prefix <= 999; ++prefix) {
      const std::string start = std::to_string(prefix);
      for (std::size_t length = start.size(); length <= 15; ++length) {
        for (int sample = 0; sample < 3; ++sample) {
          std::string national = start;
          while (national.size() < length) national += static_cast<char>('0' + random() % 10);
          i18n::phonenumbers::PhoneNumber number;
          number.set_country_code(calling_code);
          number.set_national_number(std::stoull(national));
          const bool expected = util.IsValidNumber(number);
          ASSERT_EQ(IsValidNationalNumber(calling_code, national), expected)
              << "+" << calling_code << " " << national;
          ++(expected ? valid : invalid);
        }
      }
    }
    // Both answers must occur often for the comparison to mean much.
    EXPECT_GT(valid, 800) << "+" << calling_code;
    EXPECT_GT(invalid, 800) << "+" << calling_code;
  }
}

}  // namespace
}  // namespace quitt::adapters::intake
