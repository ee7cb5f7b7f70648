#include "domain/date.h"

#include <gtest/gtest.h>

namespace quitt::domain {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

TEST(Date, ParsesAndFormatsIsoAndGerman) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_EQ(D("2024-02-29").ToGermanString(), "29.02.2024");
  EXPECT_EQ(*Date::ParseGerman("1.2.2024"), D("2024-02-01"));
  EXPECT_EQ(*Date::ParseFlexible("31.12.2025"), D("2025-12-31"));
  EXPECT_EQ(*Date::ParseFlexible("2025-12-31"), D("2025-12-31"));
}

TEST(Date, RejectsDaysThatDoNotExist) {
  EXPECT_FALSE(Date::Parse("2023-02-29").ok());
  EXPECT_FALSE(Date::Parse("2024-13-01").ok());
  EXPECT_FALSE(Date::Parse("2024-1-01").ok());
  EXPECT_FALSE(Date::Parse("20240101").ok());
  EXPECT_FALSE(Date::ParseGerman("31.04.2024").ok());
  for (const char* malformed : {"1..2024", ".1.2024", "1.2.", "1.2.2024.", "1.2", "1.2.24",
                                "123.1.2024", "1.123.2024", "1.2.2024.5", "", "..."}) {
    EXPECT_FALSE(Date::ParseGerman(malformed).ok()) << malformed;
  }
  EXPECT_EQ(*Date::ParseGerman(" 01.02.2024 "), D("2024-02-01"));
  EXPECT_FALSE(Date::ParseFlexible("yesterday").ok());
  auto error = Date::Parse("2023-02-29").error().message();
  EXPECT_NE(error.find("2023-02-29"), std::string::npos);
}

TEST(Date, Arithmetic) {
  EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-02-28").AddDays(1), D("2023-03-01"));
  EXPECT_EQ(D("2024-01-31").AddMonths(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-01-31").AddMonths(1), D("2023-02-28"));
  EXPECT_EQ(D("2024-02-29").AddYears(1), D("2025-02-28"));
  EXPECT_EQ(D("2024-01-01").DaysUntil(D("2025-01-01")), 366);
  EXPECT_EQ(D("2023-06-15").EndOfYear(), D("2023-12-31"));
  EXPECT_TRUE(D("2000-03-01").IsLeapYear());
  EXPECT_FALSE(D("1900-03-01").IsLeapYear());
  EXPECT_EQ(D("2026-11-23").iso_weekday(), 1);  // a Monday
  EXPECT_LT(D("2026-01-01"), D("2026-01-02"));
}

TEST(Timestamp, RoundTripsInUtc) {
  auto t = *Timestamp::Parse("2026-11-23T11:05:54.123456Z");
  EXPECT_EQ(t.ToString(), "2026-11-23T11:05:54.123456Z");
  EXPECT_EQ(Timestamp::Parse("2026-11-23T12:05:54+01:00")->ToString(),
            "2026-11-23T11:05:54.000000Z");
  EXPECT_EQ(Timestamp::Parse("2026-11-23T00:30:00+01:00")->UtcDate(), D("2026-11-22"));
  EXPECT_EQ(Timestamp::FromUnixMicros(-1).ToString(), "1969-12-31T23:59:59.999999Z");
  EXPECT_FALSE(Timestamp::Parse("2026-11-23").ok());
  EXPECT_FALSE(Timestamp::Parse("2026-11-23T25:00:00Z").ok());
}

}  // namespace
}  // namespace quitt::domain
