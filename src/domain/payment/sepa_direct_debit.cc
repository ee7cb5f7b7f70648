#include "domain/payment/sepa_direct_debit.h"

#include "common/check.h"
#include "domain/iban.h"

namespace quitt::domain::payment {
namespace {

bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool IsMandateChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("+?/-:().,' ").find(c) != std::string_view::npos;
}

// Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  auto date = Date::FromYmd(year, month, day);
  QUITT_CHECK(date.ok());
  return *date;
}

}  // namespace

Result<std::string> ValidateCreditorId(std::string_view text) {
  std::string id;
  for (char c : text) {
    if (c == ' ') continue;
    id.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  const std::string shown = "creditor identifier '" + std::string(text) + "'";
  if (id.size() < 8 || id.size() > 35) {
    return InvalidArgument(shown + " must have 8 to 35 characters, has " +
                           std::to_string(id.size()));
  }
  for (char c : id) {
    if (!IsUpperAlnum(c)) {
      return InvalidArgument(shown + " contains '" + std::string(1, c) + "'; only A-Z and 0-9");
    }
  }
  if (!(id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' && id[1] <= 'Z')) {
    return InvalidArgument(shown + " must start with a two-letter country code");
  }
  if (!(id[2] >= '0' && id[2] <= '9' && id[3] >= '0' && id[3] <= '9')) {
    return InvalidArgument(shown + ": characters 3-4 must be the check digits");
  }
  if (id.starts_with("DE") && id.size() != 18) {
    return InvalidArgument(shown + ": a German creditor identifier has 18 characters, this has " +
                           std::to_string(id.size()));
  }
  const std::string checked = id.substr(7) + id.substr(0, 2) + "00";
  const int remainder = Mod97(checked);
  QUITT_CHECK(remainder >= 0);  // only A-Z/0-9 reach here
  const int expected = 98 - remainder;
  const int given = (id[2] - '0') * 10 + (id[3] - '0');
  if (given != expected) {
    return InvalidArgument(shown + ": check digits " + id.substr(2, 2) + " are wrong (MOD 97-10 " +
                           "over the national identifier gives " + (expected < 10 ? "0" : "") +
                           std::to_string(expected) + ")");
  }
  return id;
}

Result<std::string> ValidateMandateReference(std::string_view text) {
  std::string_view ref = text;
  while (!ref.empty() && ref.front() == ' ') ref.remove_prefix(1);
  while (!ref.empty() && ref.back() == ' ') ref.remove_suffix(1);
  const std::string shown = "mandate reference '" + std::string(text) + "'";
  if (ref.empty() || ref.size() > 35) {
    return InvalidArgument(shown + " must have 1 to 35 characters, has " +
                           std::to_string(ref.size()));
  }
  for (char c : ref) {
    if (!IsMandateChar(c)) {
      return InvalidArgument(shown + " contains '" + std::string(1, c) +
                             "'; allowed are A-Z a-z 0-9 + ? / - : ( ) . , ' and space");
    }
  }
  if (ref.front() == '/' || ref.find("//") != std::string_view::npos) {
    return InvalidArgument(shown + " must not start with '/' or contain '//'");
  }
  return std::string(ref);
}

bool IsTargetBusinessDay(Date date) {
  if (date.iso_weekday() >= 6) return false;
  const int month = date.month();
  const int day = date.day();
  if ((month == 1 && day == 1) || (month == 5 && day == 1) ||
      (month == 12 && (day == 25 || day == 26))) {
    return false;
  }
  const Date easter = EasterSunday(date.year());
  return date != easter.AddDays(-2) && date != easter.AddDays(1);
}

Date NextTargetBusinessDay(Date date) {
  while (!IsTargetBusinessDay(date)) date = date.AddDays(1);
  return date;
}

Date AddTargetBusinessDays(Date date, int days) {
  QUITT_CHECK(days >= 0);
  date = NextTargetBusinessDay(date);
  for (int i = 0; i < days; ++i) date = NextTargetBusinessDay(date.AddDays(1));
  return date;
}

}  // namespace quitt::domain::payment
