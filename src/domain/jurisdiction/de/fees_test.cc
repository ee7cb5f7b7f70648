#include "domain/jurisdiction/de/fees.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace quitt::domain::de {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

// tests/golden/ledger/rvg_table.txt: every bracket edge of Anlage 2 (value = edge and edge +
// 0.01) for both table versions, copied from the reference table by make_expected.py.
TEST(RvgTable, MatchesAnlage2AtEveryBracketEdge) {
  std::ifstream in(std::string(QUITT_SOURCE_DIR) + "/tests/golden/ledger/rvg_table.txt");
  ASSERT_TRUE(in) << "rvg_table.txt missing";
  std::string line;
  int checked = 0;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string date;
    std::int64_t value, fee, edge;
    ASSERT_TRUE(words >> date >> value >> fee >> edge) << "rvg_table.txt:" << number;
    auto result = RvgFullFee(Eur(value), *Date::Parse(date));
    ASSERT_TRUE(result.ok()) << "rvg_table.txt:" << number << ": " << result.error().ToString();
    EXPECT_EQ(result->fee, Eur(fee)) << "rvg_table.txt:" << number << " value " << value;
    EXPECT_EQ(result->row_up_to, Eur(edge)) << "rvg_table.txt:" << number;
    ++checked;
  }
  EXPECT_EQ(checked, 4 * (1 + 42 + 41 + 3));
}

TEST(RvgTable, VersionIsChosenByTheWorkDate) {
  EXPECT_EQ(RvgFullFee(Eur(120000), D(2025, 5, 31))->fee, Eur(12700));
  EXPECT_EQ(RvgFullFee(Eur(120000), D(2025, 6, 1))->fee, Eur(13450));
  EXPECT_NE(RvgFullFee(Eur(120000), D(2025, 6, 1))->row.find("2025-06-01"), std::string::npos);
  EXPECT_FALSE(RvgFullFee(Eur(120000), D(2020, 12, 31)).ok());
  EXPECT_FALSE(RvgFullFee(Eur(0), D(2022, 1, 1)).ok());
  EXPECT_FALSE(
      RvgFullFee(Money::FromMinorUnits(100, *Currency::FromCode("CHF")), D(2022, 1, 1)).ok());
}

TEST(RvgLowValue, AppliesUpTo50EurFromTheReform) {
  EXPECT_EQ(RvgLowValueFee(Eur(5000), D(2021, 10, 1), 3150)->fee, Eur(3000));
  EXPECT_FALSE(RvgLowValueFee(Eur(5001), D(2022, 1, 1), 3150));
  EXPECT_FALSE(RvgLowValueFee(Eur(4000), D(2021, 9, 30), 3150));
  EXPECT_EQ(RvgLowValueFee(Eur(4000), D(2025, 5, 31), 3150)->fee, Eur(3000));
  EXPECT_EQ(RvgLowValueFee(Eur(4000), D(2025, 6, 1), 3150)->fee, Eur(3150));
  EXPECT_EQ(RvgLowValueFee(Eur(4000), D(2025, 6, 1), 3050)->fee, Eur(3050));
}

TEST(BusinessFeeRate, FollowsNr2300) {
  const Date after = D(2022, 1, 1);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kPaidOnFirstDemand, after).tenths, 5);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kRegular, after).tenths, 9);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kExtensiveOrDifficult, after).tenths, 13);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kDisputed, after).tenths, 13);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kRegular, D(2021, 9, 30)).tenths, 13);
  EXPECT_EQ(BusinessFeeRate(CollectionCourse::kRegular, D(2021, 10, 1)).tenths, 9);
}

TEST(ApplyRate, RoundsHalfUpAndKeepsTheMinimum) {
  EXPECT_EQ(ApplyRate(Eur(13450), 9), Eur(12105));  // 121.05 exactly
  EXPECT_EQ(ApplyRate(Eur(5150), 9), Eur(4635));    // 46.35
  EXPECT_EQ(ApplyRate(Eur(3150), 5), Eur(1575));    // 15.75
  EXPECT_EQ(ApplyRate(Eur(3000), 5), Eur(1500));    // 15.00, the minimum itself
  EXPECT_EQ(ApplyRate(Eur(2000), 5), Eur(1500));    // 10.00 lifted to 15.00 (§ 13(3) RVG)
  EXPECT_EQ(ApplyRate(Eur(4905), 9), Eur(4415));    // 44.145 -> 44.15 (half up)
}

TEST(ExpenseFlatRate, IsTwentyPercentCappedAt20Eur) {
  EXPECT_EQ(ExpenseFlatRate(Eur(4410)), Eur(882));
  EXPECT_EQ(ExpenseFlatRate(Eur(10000)), Eur(2000));
  EXPECT_EQ(ExpenseFlatRate(Eur(10001)), Eur(2000));
  EXPECT_EQ(ExpenseFlatRate(Eur(2745)), Eur(549));
}

TEST(Vat, IsNineteenPercentHalfUp) {
  EXPECT_EQ(Vat(Eur(5292), D(2022, 1, 1)), Eur(1005));   // 10.0548
  EXPECT_EQ(Vat(Eur(14105), D(2025, 7, 1)), Eur(2680));  // 26.7995
}

TEST(GermanFeeLines, SettlementFeeValueRoundsUpAcrossAnEdge) {
  // Half of 1,000.02 is 500.01: above the 500 edge, so the 1,000 row (88.00) applies: 0.7 x 88 =
  // 61.60.
  FeeEvent e;
  e.kind = FeeKind::kSettlementFee;
  e.date = D(2022, 1, 1);
  FeeContext ctx;
  ctx.value = Eur(100002);
  auto lines = GermanFeeLines(e, ctx, {});
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ((*lines)[0].amount, Eur(6160));
  EXPECT_EQ(*(*lines)[0].value, Eur(50001));
  ctx.value = Eur(100000);
  EXPECT_EQ((*GermanFeeLines(e, ctx, {}))[0].amount, Eur(3430));
}

TEST(GermanFeeLines, ExpensesStopAtTheMatterCap) {
  FeeEvent e;
  e.date = D(2022, 1, 1);
  FeeContext ctx;
  ctx.value = Eur(100000);
  ctx.fees_so_far = Eur(20000);
  ctx.expenses_so_far = Eur(2000);
  auto lines = GermanFeeLines(e, ctx, {});
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 1u);  // no expense line: the 20.00 are used up
  EXPECT_EQ((*lines)[0].kind, CostKind::kBusinessFee);
}

TEST(GermanFeeLines, EveryLineNamesItsRuleAndSource) {
  FeeEvent e;
  e.date = D(2025, 7, 1);
  FeeContext ctx;
  ctx.value = Eur(120000);
  ctx.client_can_deduct_vat = false;
  auto lines = GermanFeeLines(e, ctx, {});
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 3u);
  for (const FeeLine& l : *lines) {
    EXPECT_FALSE(l.basis.rule.empty());
    EXPECT_FALSE(l.basis.source.empty());
  }
  EXPECT_NE((*lines)[0].table_row.find("1.500,00"), std::string::npos) << (*lines)[0].table_row;
  EXPECT_NE((*lines)[0].basis.rule.find("Nr. 2300"), std::string::npos);
  EXPECT_EQ((*lines)[2].amount, Eur(2680));
}

}  // namespace
}  // namespace quitt::domain::de
