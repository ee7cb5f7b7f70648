#include "domain/ledger/day_count.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace quitt::domain {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

// A fresh seed per run, printed so a failure can be replayed with QUITT_TEST_SEED=<seed>.
std::uint32_t TestSeed() {
  if (const char* fixed = std::getenv("QUITT_TEST_SEED")) {
    return static_cast<std::uint32_t>(std::stoul(fixed));
  }
  return std::random_device{}();
}

TEST(CountDays, ActualCountsBothEnds) {
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 1, 1), DayCount::kActual365).days, 1);
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 12, 31), DayCount::kActual365).days, 366);
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 12, 31), DayCount::kActual365).year_days, 365);
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 12, 31), DayCount::kActualActual).year_days, 366);
  EXPECT_EQ(CountDays(D(2023, 1, 1), D(2023, 12, 31), DayCount::kActualActual).year_days, 365);
}

TEST(CountDays, ThirtyThreeSixtyCountsEveryMonthAsThirty) {
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 12, 31), DayCount::kThirty360).days, 360);
  EXPECT_EQ(CountDays(D(2023, 2, 1), D(2023, 2, 28), DayCount::kThirty360).days, 30);
  EXPECT_EQ(CountDays(D(2024, 2, 1), D(2024, 2, 29), DayCount::kThirty360).days, 30);
  EXPECT_EQ(CountDays(D(2024, 1, 31), D(2024, 1, 31), DayCount::kThirty360).days, 0);
  EXPECT_EQ(CountDays(D(2024, 1, 15), D(2024, 3, 31), DayCount::kThirty360).days, 76);
  EXPECT_EQ(CountDays(D(2024, 1, 1), D(2024, 12, 31), DayCount::kThirty360).year_days, 360);
}

// Property: splitting [a, c] at any day b never changes the total day count (so interest lines
// split at payments and rate changes add up to the unsplit period).
TEST(CountDays, PropertySplittingKeepsTheTotal) {
  const std::uint32_t seed = TestSeed();
  std::printf("CountDays property seed: %u\n", seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> offset(0, 3000);
  for (int i = 0; i < 5000; ++i) {
    Date a = D(2002, 1, 1).AddDays(offset(rng));
    Date c = a.AddDays(1 + offset(rng));
    Date b = a.AddDays(std::uniform_int_distribution<int>(0, a.DaysUntil(c) - 1)(rng));
    for (DayCount dc : {DayCount::kActual365, DayCount::kThirty360}) {
      EXPECT_EQ(CountDays(a, b, dc).days + CountDays(b.AddDays(1), c, dc).days,
                CountDays(a, c, dc).days)
          << "seed " << seed << " " << a.ToString() << " " << b.ToString() << " " << c.ToString();
    }
  }
}

TEST(LineInterest, RoundsDownOncePerLine) {
  // 1,000.00 at 8.62 % for 31 days: 732.11 cents -> 7.32.
  EXPECT_EQ(LineInterest(Eur(100000), 862, {31, 365}), Eur(732));
  // 10,000.00 at 10 % for 366/366 days: exactly 1,000.00.
  EXPECT_EQ(LineInterest(Eur(1000000), 1000, {366, 366}), Eur(100000));
  // A fraction just below a cent is dropped: 1.00 at 1 % for 365 days = 1 cent exactly; 364 days
  // = 0.997 cent -> 0.
  EXPECT_EQ(LineInterest(Eur(100), 100, {365, 365}), Eur(1));
  EXPECT_EQ(LineInterest(Eur(100), 100, {364, 365}), Eur(0));
  // Huge amounts do not overflow: 10 billion EUR at 12.62 % for 366 days.
  EXPECT_EQ(LineInterest(Eur(1000000000000), 1262, {366, 365}).minor_units(),
            static_cast<std::int64_t>((__int128)1000000000000 * 1262 * 366 / 3650000));
}

}  // namespace
}  // namespace quitt::domain
