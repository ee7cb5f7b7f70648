#include "domain/jurisdiction/de/base_rate.h"

#include <gtest/gtest.h>

namespace quitt::domain::de {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(BaseRateTable, HasEveryHalfYearFrom2002To2026) {
  const auto& rows = BaseRateTable::Builtin().rows();
  ASSERT_EQ(rows.size(), 49u);
  EXPECT_EQ(rows.front().valid_from, D(2002, 1, 1));
  EXPECT_EQ(rows.back().valid_from, D(2026, 1, 1));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].valid_from, rows[i - 1].valid_from.AddMonths(6));
    EXPECT_EQ(rows[i].changed, rows[i].rate_bp != rows[i - 1].rate_bp)
        << rows[i].valid_from.ToString();
    EXPECT_STRNE(rows[i].sources, "");
  }
  EXPECT_EQ(BaseRateTable::Builtin().known_until_exclusive(), D(2026, 7, 1));
}

// The change points as printed in the reference (§ 1.3, machine-readable block).
TEST(BaseRateTable, MatchesTheChangePointsOfTheReference) {
  struct Point {
    int y, m;
    std::int32_t bp;
  };
  const Point points[] = {
      {2002, 1, 257}, {2002, 7, 247}, {2003, 1, 197}, {2003, 7, 122}, {2004, 1, 114},
      {2004, 7, 113}, {2005, 1, 121}, {2005, 7, 117}, {2006, 1, 137}, {2006, 7, 195},
      {2007, 1, 270}, {2007, 7, 319}, {2008, 1, 332}, {2008, 7, 319}, {2009, 1, 162},
      {2009, 7, 12},  {2011, 7, 37},  {2012, 1, 12},  {2013, 1, -13}, {2013, 7, -38},
      {2014, 1, -63}, {2014, 7, -73}, {2015, 1, -83}, {2016, 7, -88}, {2023, 1, 162},
      {2023, 7, 312}, {2024, 1, 362}, {2024, 7, 337}, {2025, 1, 227}, {2025, 7, 127}};
  const auto& table = BaseRateTable::Builtin();
  for (const Point& p : points) {
    auto row = table.RowOn(D(p.y, p.m, 1));
    ASSERT_TRUE(row);
    EXPECT_EQ(row->rate_bp, p.bp) << p.y << "-" << p.m;
    EXPECT_TRUE(row->changed);
    // The day before belongs to the previous half-year.
    if (p.y > 2002 || p.m > 1) {
      EXPECT_NE(table.RowOn(D(p.y, p.m, 1).AddDays(-1))->valid_from, row->valid_from);
    }
  }
  EXPECT_EQ(table.RowOn(D(2026, 6, 30))->rate_bp, 127);
  EXPECT_EQ(table.RowOn(D(2020, 2, 29))->rate_bp, -88);  // negative, not clamped
}

TEST(BaseRateTable, KnowsNothingOutsideItsRange) {
  const auto& table = BaseRateTable::Builtin();
  EXPECT_FALSE(table.RowOn(D(2001, 12, 31)));
  EXPECT_FALSE(table.RowOn(D(2026, 7, 1)));
}

TEST(BaseRateTable, AddAcceptsOnlyTheNextHalfYear) {
  BaseRateTable table = BaseRateTable::Builtin();
  EXPECT_FALSE(table.Add({D(2027, 1, 1), 100, true, "test"}).ok());
  EXPECT_FALSE(table.Add({D(2026, 7, 2), 100, true, "test"}).ok());
  Status added = table.Add({D(2026, 7, 1), 102, true, "test"});
  ASSERT_TRUE(added.ok()) << added.ToString();
  EXPECT_EQ(table.RowOn(D(2026, 12, 31))->rate_bp, 102);
  EXPECT_EQ(table.known_until_exclusive(), D(2027, 1, 1));
}

}  // namespace
}  // namespace quitt::domain::de
