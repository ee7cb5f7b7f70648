#include "domain/date.h"

#include <cstdio>

#include "common/text.h"

namespace quitt::domain {

namespace chrono = std::chrono;

bool IsLeapYear(int year) { return chrono::year(year).is_leap(); }

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
    return InvalidArgument("date " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                           std::to_string(day) + " is out of range");
  }
  chrono::year_month_day ymd{chrono::year(year), chrono::month(static_cast<unsigned>(month)),
                             chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return InvalidArgument(std::string("date ") + text + " does not exist");
  }
  return Date(static_cast<std::int32_t>(chrono::sys_days(ymd).time_since_epoch().count()));
}

namespace {
bool ParseNumber(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}
}  // namespace

Result<Date> Date::Parse(std::string_view iso) {
  std::string_view text = Trim(iso);
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseNumber(text.substr(0, 4), y) ||
      !ParseNumber(text.substr(5, 2), m) || !ParseNumber(text.substr(8, 2), d)) {
    return InvalidArgument("'" + std::string(iso) + "' is not a date in the form YYYY-MM-DD");
  }
  return FromYmd(y, m, d);
}

Result<Date> Date::ParseGerman(std::string_view input) {
  std::string_view text = Trim(input);
  // Three parts split at the dots, without building a vector (an import parses three dates a row).
  const auto first = text.find('.');
  const auto second = first == std::string_view::npos ? first : text.find('.', first + 1);
  const bool three_parts =
      second != std::string_view::npos && text.find('.', second + 1) == std::string_view::npos;
  const std::string_view day = three_parts ? text.substr(0, first) : std::string_view();
  const std::string_view month =
      three_parts ? text.substr(first + 1, second - first - 1) : std::string_view();
  const std::string_view year = three_parts ? text.substr(second + 1) : std::string_view();
  int y, m, d;
  if (!three_parts || day.size() > 2 || month.size() > 2 || year.size() != 4 ||
      !ParseNumber(day, d) || !ParseNumber(month, m) || !ParseNumber(year, y)) {
    return InvalidArgument("'" + std::string(input) + "' is not a date in the form DD.MM.YYYY");
  }
  return FromYmd(y, m, d);
}

Result<Date> Date::ParseFlexible(std::string_view text) {
  std::string_view trimmed = Trim(text);
  if (trimmed.find('.') != std::string_view::npos) return ParseGerman(text);
  if (trimmed.find('-') != std::string_view::npos) return Parse(text);
  return InvalidArgument("'" + std::string(text) +
                         "' is not a date (expected YYYY-MM-DD or DD.MM.YYYY)");
}

namespace {
chrono::year_month_day Ymd(std::int32_t days) {
  return chrono::year_month_day(chrono::sys_days(chrono::days(days)));
}
}  // namespace

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).day())); }
int Date::iso_weekday() const {
  return static_cast<int>(chrono::weekday(chrono::sys_days(chrono::days(days_))).iso_encoding());
}
bool Date::IsLeapYear() const { return Ymd(days_).year().is_leap(); }

namespace {
// Writes `value` as `width` zero-padded digits; the hot path of every stored date (no printf).
void PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}
}  // namespace

std::string Date::ToString() const {
  auto ymd = Ymd(days_);
  std::string text(10, '-');
  PutDigits(&text[0], static_cast<int>(ymd.year()), 4);
  PutDigits(&text[5], static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  PutDigits(&text[8], static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  return text;
}

std::string Date::ToGermanString() const {
  char text[16];
  std::snprintf(text, sizeof text, "%02d.%02d.%04d", day(), month(), year());
  return text;
}

Date Date::AddMonths(int months) const {
  auto ymd = Ymd(days_);
  chrono::year_month target = chrono::year_month(ymd.year(), ymd.month()) + chrono::months(months);
  chrono::year_month_day_last last(target.year(), chrono::month_day_last(target.month()));
  chrono::day day = ymd.day() > last.day() ? last.day() : ymd.day();
  chrono::year_month_day result(target.year(), target.month(), day);
  return Date(static_cast<std::int32_t>(chrono::sys_days(result).time_since_epoch().count()));
}

Date Date::EndOfYear() const {
  chrono::year_month_day end(Ymd(days_).year(), chrono::December, chrono::day(31));
  return Date(static_cast<std::int32_t>(chrono::sys_days(end).time_since_epoch().count()));
}

Date Timestamp::UtcDate() const {
  auto days = chrono::floor<chrono::days>(chrono::microseconds(micros_));
  return Date::FromDaysSinceEpoch(static_cast<std::int32_t>(days.count()));
}

std::string Timestamp::ToString() const {
  std::int64_t micros_of_day =
      micros_ - static_cast<std::int64_t>(UtcDate().days_since_epoch()) * 86400LL * 1000000LL;
  const auto seconds = static_cast<int>(micros_of_day / 1000000);
  const auto fraction = static_cast<int>(micros_of_day % 1000000);
  std::string text = UtcDate().ToString() + "T00:00:00.000000Z";
  PutDigits(&text[11], seconds / 3600, 2);
  PutDigits(&text[14], seconds / 60 % 60, 2);
  PutDigits(&text[17], seconds % 60, 2);
  PutDigits(&text[20], fraction, 6);
  return text;
}

Result<Timestamp> Timestamp::Parse(std::string_view iso) {
  std::string_view text = Trim(iso);
  auto bad = [&] {
    return InvalidArgument(
        "'" + std::string(iso) +
        "' is not an instant in the form YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)");
  };
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return bad();
  }
  auto date = Date::Parse(text.substr(0, 10));
  if (!date) return bad();
  int hour, minute, second;
  if (!ParseNumber(text.substr(11, 2), hour) || !ParseNumber(text.substr(14, 2), minute) ||
      !ParseNumber(text.substr(17, 2), second) || hour > 23 || minute > 59 || second > 59) {
    return bad();
  }
  std::size_t pos = 19;
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        fraction = fraction * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return bad();
    for (; digits < 6; ++digits) fraction *= 10;
  }
  std::int64_t offset_seconds = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z") {
    offset_seconds = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!ParseNumber(zone.substr(1, 2), oh) || !ParseNumber(zone.substr(4, 2), om)) return bad();
    offset_seconds = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  std::int64_t seconds = static_cast<std::int64_t>(date->days_since_epoch()) * 86400 + hour * 3600 +
                         minute * 60 + second - offset_seconds;
  return Timestamp(seconds * 1000000 + fraction);
}

}  // namespace quitt::domain
