#include "workflow/payment_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace quitt::workflow {
namespace {

using domain::Currency;
using domain::Date;
using domain::Money;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Date D(const char* iso) { return *Date::Parse(iso); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

TEST(PaymentPlanTest, SplitSumsExactlyAndEarlierTakeTheCents) {
  auto plan = MakePaymentPlan(Eur(100000), 3, D("2026-01-31"), Rhythm::kMonthly);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  ASSERT_THAT(plan->instalments, SizeIs(3));
  EXPECT_EQ(plan->instalments[0].amount, Eur(33334));
  EXPECT_EQ(plan->instalments[1].amount, Eur(33333));
  EXPECT_EQ(plan->instalments[2].amount, Eur(33333));
  // Monthly from the first date, clamped to short months, no drift.
  EXPECT_EQ(plan->instalments[0].due, D("2026-01-31"));
  EXPECT_EQ(plan->instalments[1].due, D("2026-02-28"));
  EXPECT_EQ(plan->instalments[2].due, D("2026-03-31"));
}

TEST(PaymentPlanTest, SumPropertyOverManyTotals) {
  // Fixed sequence instead of a random seed: totals 1..5000 cents × 1..12 instalments.
  for (std::int64_t cents = 12; cents <= 5000; cents += 7) {
    for (int count = 1; count <= 12; ++count) {
      auto plan = MakePaymentPlan(Eur(cents), count, D("2026-03-01"), Rhythm::kWeekly);
      ASSERT_TRUE(plan.ok());
      Money sum = Eur(0);
      for (const auto& i : plan->instalments) {
        sum += i.amount;
        EXPECT_TRUE(i.amount.is_positive());
      }
      ASSERT_EQ(sum, Eur(cents)) << cents << " / " << count;
    }
  }
}

TEST(PaymentPlanTest, RhythmDates) {
  EXPECT_EQ(InstalmentDate(D("2026-03-01"), Rhythm::kWeekly, 2), D("2026-03-15"));
  EXPECT_EQ(InstalmentDate(D("2026-03-01"), Rhythm::kFortnightly, 2), D("2026-03-29"));
  EXPECT_EQ(InstalmentDate(D("2024-01-31"), Rhythm::kMonthly, 1), D("2024-02-29"));
  EXPECT_EQ(ParseRhythm("fortnightly"), Rhythm::kFortnightly);
  EXPECT_FALSE(ParseRhythm("daily").has_value());
}

TEST(PaymentPlanTest, RejectsBadInput) {
  EXPECT_THAT(MakePaymentPlan(Eur(0), 3, D("2026-01-01"), Rhythm::kMonthly).error().message(),
              HasSubstr("total"));
  EXPECT_THAT(MakePaymentPlan(Eur(100), 0, D("2026-01-01"), Rhythm::kMonthly).error().message(),
              HasSubstr("instalments: 0 is outside"));
  EXPECT_THAT(MakePaymentPlan(Eur(2), 3, D("2026-01-01"), Rhythm::kMonthly).error().message(),
              HasSubstr("at least one cent"));
}

TEST(PaymentPlanTest, LimitsOfTheStrategy) {
  ArrangementLimits limits;
  limits.plan_max_months = 12;
  limits.plan_max_instalments = 12;
  limits.plan_min_instalment = Eur(2500);

  auto ok = MakePaymentPlan(Eur(30000), 12, D("2026-01-15"), Rhythm::kMonthly);
  EXPECT_THAT(CheckPlanLimits(*ok, limits), IsEmpty());

  auto too_long = MakePaymentPlan(Eur(130000), 13, D("2026-01-15"), Rhythm::kMonthly);
  const auto reasons = CheckPlanLimits(*too_long, limits);
  ASSERT_THAT(reasons, SizeIs(2));
  EXPECT_THAT(reasons[0], HasSubstr("at most 12 months"));
  EXPECT_THAT(reasons[1], HasSubstr("13 instalments"));

  auto too_small = MakePaymentPlan(Eur(9999), 4, D("2026-01-15"), Rhythm::kWeekly);
  const auto small = CheckPlanLimits(*too_small, limits);
  ASSERT_THAT(small, SizeIs(1));
  EXPECT_THAT(small[0], HasSubstr("smallest instalment is 24.99 EUR"));

  // 52 weekly instalments stay within 12 months (last one 357 days after the first).
  limits.plan_max_instalments = 60;
  limits.plan_min_instalment = Eur(100);
  auto weekly = MakePaymentPlan(Eur(52000), 52, D("2026-01-15"), Rhythm::kWeekly);
  EXPECT_THAT(CheckPlanLimits(*weekly, limits), IsEmpty());

  auto chf = MakePaymentPlan(Money::FromMinorUnits(10000, *Currency::FromCode("CHF")), 2,
                             D("2026-01-15"), Rhythm::kMonthly);
  EXPECT_THAT(CheckPlanLimits(*chf, limits)[0], HasSubstr("the plan is in CHF"));
}

}  // namespace
}  // namespace quitt::workflow
