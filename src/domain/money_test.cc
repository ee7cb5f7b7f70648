#include "domain/money.h"

#include <gtest/gtest.h>

#include <random>

namespace quitt::domain {
namespace {

Currency Eur() { return Currency::Eur(); }
Money M(std::int64_t cents) { return Money::FromMinorUnits(cents, Eur()); }

TEST(Currency, KnowsExponentsFromTheTable) {
  EXPECT_EQ(Currency::FromCode("EUR")->exponent(), 2);
  EXPECT_EQ(Currency::FromCode("jpy")->exponent(), 0);
  EXPECT_EQ(Currency::FromCode("KWD")->exponent(), 3);
  EXPECT_EQ(Currency::FromCode(" chf ")->code(), "CHF");
}

TEST(Currency, RejectsUnknownCodes) {
  auto result = Currency::FromCode("EUX");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("EUX"), std::string::npos);
  EXPECT_FALSE(Currency::FromCode("").ok());
  EXPECT_FALSE(Currency::FromCode("EURO").ok());
}

TEST(MoneyParse, PointDecimal) {
  EXPECT_EQ(Money::Parse("1234.56", Eur())->minor_units(), 123456);
  EXPECT_EQ(Money::Parse("1234.5", Eur())->minor_units(), 123450);
  EXPECT_EQ(Money::Parse("1234", Eur())->minor_units(), 123400);
  EXPECT_EQ(Money::Parse("-0.01", Eur())->minor_units(), -1);
  EXPECT_EQ(Money::Parse(" 7.00 ", Eur())->minor_units(), 700);
  EXPECT_EQ(Money::Parse("5", *Currency::FromCode("JPY"))->minor_units(), 5);
  EXPECT_EQ(Money::Parse("1.234", *Currency::FromCode("KWD"))->minor_units(), 1234);
}

TEST(MoneyParse, RejectsWhatItCannotRepresentExactly) {
  EXPECT_FALSE(Money::Parse("1.234", Eur()).ok());  // three decimals for EUR
  EXPECT_FALSE(Money::Parse("1,234.56", Eur()).ok());
  EXPECT_FALSE(Money::Parse("", Eur()).ok());
  EXPECT_FALSE(Money::Parse("-", Eur()).ok());
  EXPECT_FALSE(Money::Parse("1.", Eur()).ok());
  EXPECT_FALSE(Money::Parse(".5", Eur()).ok());
  EXPECT_FALSE(Money::Parse("1e3", Eur()).ok());
  EXPECT_FALSE(Money::Parse("99999999999999999999", Eur()).ok());
  EXPECT_FALSE(Money::Parse("1.5", *Currency::FromCode("JPY")).ok());
}

TEST(MoneyParse, GermanStyle) {
  EXPECT_EQ(Money::ParseGerman("1.234,56", Eur())->minor_units(), 123456);
  EXPECT_EQ(Money::ParseGerman("1234,56", Eur())->minor_units(), 123456);
  EXPECT_EQ(Money::ParseGerman("1.234.567", Eur())->minor_units(), 123456700);
  EXPECT_EQ(Money::ParseGerman("-12,5", Eur())->minor_units(), -1250);
  EXPECT_FALSE(Money::ParseGerman("1.23,45", Eur()).ok());
  EXPECT_FALSE(Money::ParseGerman("12,345", Eur()).ok());
}

TEST(MoneyFormat, AllStyles) {
  EXPECT_EQ(M(123456).ToDecimalString(), "1234.56");
  EXPECT_EQ(M(123456789).ToGermanString(), "1.234.567,89");
  EXPECT_EQ(M(123456789).ToEnglishString(), "1,234,567.89");
  EXPECT_EQ(M(-5).ToDecimalString(), "-0.05");
  EXPECT_EQ(M(0).ToGermanString(), "0,00");
  EXPECT_EQ(M(100000).ToGermanString(), "1.000,00");
  EXPECT_EQ(Money::FromMinorUnits(1500, *Currency::FromCode("JPY")).ToGermanString(), "1.500");
  EXPECT_EQ(M(INT64_MIN).ToDecimalString(), "-92233720368547758.08");
}

TEST(MoneyArithmetic, SameCurrency) {
  EXPECT_EQ(M(150) + M(250), M(400));
  EXPECT_EQ(M(150) - M(250), M(-100));
  EXPECT_EQ(M(150).Times(3), M(450));
  EXPECT_LT(M(1), M(2));
  EXPECT_EQ(Min(M(3), M(2)), M(2));
}

TEST(MoneyArithmeticDeathTest, MixingCurrenciesIsABug) {
  auto chf = Money::FromMinorUnits(100, *Currency::FromCode("CHF"));
  EXPECT_DEATH(
      {
        auto sum = M(100) + chf;
        (void)sum;
      },
      "check failed");
}

TEST(RoundQuotient, EveryModeAtTheHalf) {
  EXPECT_EQ(RoundQuotient(5, 2, RoundingMode::kHalfUp), 3);
  EXPECT_EQ(RoundQuotient(-5, 2, RoundingMode::kHalfUp), -3);
  EXPECT_EQ(RoundQuotient(5, 2, RoundingMode::kHalfEven), 2);
  EXPECT_EQ(RoundQuotient(7, 2, RoundingMode::kHalfEven), 4);
  EXPECT_EQ(RoundQuotient(-7, 2, RoundingMode::kHalfEven), -4);
  EXPECT_EQ(RoundQuotient(5, 2, RoundingMode::kDown), 2);
  EXPECT_EQ(RoundQuotient(-5, 2, RoundingMode::kDown), -2);
  EXPECT_EQ(RoundQuotient(1, 3, RoundingMode::kUp), 1);
  EXPECT_EQ(RoundQuotient(1, 3, RoundingMode::kHalfUp), 0);
  EXPECT_EQ(RoundQuotient(2, 3, RoundingMode::kHalfUp), 1);
  EXPECT_EQ(RoundQuotient(6, -4, RoundingMode::kHalfUp), -2);
}

TEST(MoneyArithmetic, MultiplyRatioRoundsOnce) {
  // 20 % of 33.33 = 6.666 -> 6.67 commercially, 6.66 truncated.
  EXPECT_EQ(M(3333).MultiplyRatio(20, 100, RoundingMode::kHalfUp), M(667));
  EXPECT_EQ(M(3333).MultiplyRatio(20, 100, RoundingMode::kDown), M(666));
}

TEST(MoneyAllocate, SumsBackExactly) {
  auto parts = M(100).SplitEvenly(3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], M(34));
  EXPECT_EQ(parts[1], M(33));
  EXPECT_EQ(parts[2], M(33));
  auto weighted = M(1000).Allocate({1, 0, 2});
  EXPECT_EQ(weighted[0], M(333));
  EXPECT_EQ(weighted[1], M(0));
  EXPECT_EQ(weighted[2], M(667));
  auto negative = M(-100).SplitEvenly(3);
  EXPECT_EQ(negative[0] + negative[1] + negative[2], M(-100));
}

TEST(MoneyAllocate, PropertyPartsAlwaysSumToTheWhole) {
  const unsigned seed = 20261123;
  std::mt19937_64 random(seed);
  for (int round = 0; round < 20000; ++round) {
    std::int64_t amount = static_cast<std::int64_t>(random() % 100'000'000) - 50'000'000;
    std::size_t count = 1 + random() % 12;
    std::vector<std::int64_t> weights(count);
    std::int64_t total_weight = 0;
    for (auto& w : weights) {
      w = static_cast<std::int64_t>(random() % 1000);
      total_weight += w;
    }
    if (total_weight == 0) weights[0] = 1;
    auto parts = M(amount).Allocate(weights);
    Money sum = M(0);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      sum += parts[i];
      if (weights[i] == 0) {
        ASSERT_TRUE(parts[i].is_zero()) << "seed " << seed;
      }
    }
    ASSERT_EQ(sum, M(amount)) << "seed " << seed << " round " << round;
  }
}

}  // namespace
}  // namespace quitt::domain
