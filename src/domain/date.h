#pragma once
// Date: a civil calendar day (proleptic Gregorian), without time or zone. Due dates, default
// dates, limitation deadlines: everything the law counts in days is a Date.
// Timestamp: an instant in UTC with microsecond precision: when something was recorded.
// The two never convert into each other implicitly; a Timestamp's UTC day is asked for by name.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace quitt::domain {

class Date {
 public:
  // Checks the day exists (no 30 February).
  static Result<Date> FromYmd(int year, int month, int day);
  // ISO 8601 "2024-02-29".
  static Result<Date> Parse(std::string_view iso);
  // German "29.02.2024" (also "1.2.2024").
  static Result<Date> ParseGerman(std::string_view text);
  // Either of the two forms above.
  static Result<Date> ParseFlexible(std::string_view text);
  static Date FromDaysSinceEpoch(std::int32_t days) { return Date(days); }

  int year() const;
  int month() const;
  int day() const;
  // 1 = Monday ... 7 = Sunday (ISO 8601).
  int iso_weekday() const;
  std::int32_t days_since_epoch() const { return days_; }

  std::string ToString() const;        // 2024-02-29
  std::string ToGermanString() const;  // 29.02.2024

  Date AddDays(std::int32_t days) const { return Date(days_ + days); }
  // Same day `months` later; clamped to the month's last day (31 Jan + 1 month = 28/29 Feb), as
  // § 188(3) BGB counts month periods.
  Date AddMonths(int months) const;
  Date AddYears(int years) const { return AddMonths(years * 12); }
  // Days from this date to `later` (negative when `later` is earlier).
  std::int32_t DaysUntil(Date later) const { return later.days_ - days_; }
  Date EndOfYear() const;
  bool IsLeapYear() const;

  friend auto operator<=>(Date, Date) = default;

 private:
  explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_;  // days since 1970-01-01
};

bool IsLeapYear(int year);

class Timestamp {
 public:
  static Timestamp FromUnixMicros(std::int64_t micros) { return Timestamp(micros); }
  // "2026-11-23T11:05:54Z", "2026-11-23T11:05:54.123456Z" or with an offset "+01:00".
  static Result<Timestamp> Parse(std::string_view iso);

  std::int64_t unix_micros() const { return micros_; }
  // The calendar day in UTC at this instant.
  Date UtcDate() const;
  // "2026-11-23T11:05:54.123456Z" (always six fraction digits, so strings sort like instants).
  std::string ToString() const;
  Timestamp AddSeconds(std::int64_t seconds) const {
    return Timestamp(micros_ + seconds * 1000000);
  }

  friend auto operator<=>(Timestamp, Timestamp) = default;

 private:
  explicit Timestamp(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_;
};

}  // namespace quitt::domain
