#include "domain/jurisdiction/de/interest_rules.h"

#include <gtest/gtest.h>

namespace quitt::domain::de {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Claim MakeClaim() {
  Claim c;
  c.invoice_date = D(2024, 1, 1);
  c.due_date = D(2024, 1, 31);
  c.default_date = D(2024, 2, 1);
  c.principal = Money::FromMinorUnits(100000, Currency::Eur());
  return c;
}

TEST(DefaultInterestRule, PicksTheMarginFromCustomerAndClaim) {
  Claim c = MakeClaim();
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kConsumer).margin_bp, 500);
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kBusiness).margin_bp, 900);
  c.interest.remuneration_claim = false;
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kBusiness).margin_bp, 500);
  c.interest.remuneration_claim = true;
  c.obligation_date = D(2014, 7, 28);
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kBusiness).margin_bp, 800);
  c.obligation_date = D(2014, 7, 29);
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kBusiness).margin_bp, 900);
  // Without an obligation date the invoice date stands in.
  c.obligation_date.reset();
  c.invoice_date = D(2014, 6, 1);
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kBusiness).margin_bp, 800);
  c.interest.consumer_credit = true;
  EXPECT_EQ(DefaultInterestRule(c, CustomerKind::kConsumer).margin_bp, 500);
  EXPECT_NE(DefaultInterestRule(c, CustomerKind::kConsumer).basis.rule.find("497"),
            std::string::npos);
  c.interest.statutory = false;
  c.interest.contractual_rate_bp = 1250;
  InterestRule contractual = DefaultInterestRule(c, CustomerKind::kConsumer);
  EXPECT_TRUE(contractual.contractual);
  EXPECT_EQ(contractual.fixed_rate_bp, 1250);
}

TEST(DefaultInterestSegments, SplitAtEveryHalfYearIncludingUnchangedOnes) {
  Claim c = MakeClaim();
  auto segments = DefaultInterestSegments(BaseRateTable::Builtin(), c, CustomerKind::kConsumer,
                                          D(2016, 5, 15), D(2018, 2, 3), {});
  ASSERT_TRUE(segments.ok());
  ASSERT_EQ(segments->size(), 5u);
  EXPECT_EQ((*segments)[0].from, D(2016, 5, 15));
  EXPECT_EQ((*segments)[0].to, D(2016, 6, 30));
  EXPECT_EQ((*segments)[0].rate_bp, 417);
  EXPECT_EQ((*segments)[1].rate_bp, 412);  // -0.88 + 5: negative base rate, no clamping
  EXPECT_EQ(*(*segments)[1].base_rate_bp, -88);
  EXPECT_EQ((*segments)[4].from, D(2018, 1, 1));
  EXPECT_EQ((*segments)[4].to, D(2018, 2, 3));
  for (std::size_t i = 1; i < segments->size(); ++i) {
    EXPECT_EQ((*segments)[i].from, (*segments)[i - 1].to.AddDays(1));
  }
}

TEST(DefaultInterestSegments, ContractualRateIsOneSegment) {
  Claim c = MakeClaim();
  c.interest.statutory = false;
  c.interest.contractual_rate_bp = 1000;
  auto segments = DefaultInterestSegments(BaseRateTable::Builtin(), c, CustomerKind::kConsumer,
                                          D(2020, 1, 1), D(2030, 1, 1), {});
  ASSERT_TRUE(segments.ok());
  ASSERT_EQ(segments->size(), 1u);
  EXPECT_EQ((*segments)[0].rate_bp, 1000);
}

TEST(DefaultInterestSegments, UnpublishedRateFailsUnlessAllowed) {
  Claim c = MakeClaim();
  auto fails = DefaultInterestSegments(BaseRateTable::Builtin(), c, CustomerKind::kConsumer,
                                       D(2026, 6, 1), D(2026, 8, 31), {});
  ASSERT_FALSE(fails.ok());
  EXPECT_NE(fails.error().message().find("2026-07-01"), std::string::npos)
      << fails.error().message();
  InterestOptions allow;
  allow.allow_unpublished_base_rate = true;
  auto segments = DefaultInterestSegments(BaseRateTable::Builtin(), c, CustomerKind::kConsumer,
                                          D(2026, 6, 1), D(2026, 8, 31), allow);
  ASSERT_TRUE(segments.ok());
  ASSERT_EQ(segments->size(), 2u);
  EXPECT_FALSE((*segments)[0].provisional);
  EXPECT_TRUE((*segments)[1].provisional);
  EXPECT_EQ((*segments)[1].rate_bp, 627);
  EXPECT_EQ((*segments)[1].to, D(2026, 8, 31));
}

TEST(DefaultInterestSegments, NothingBefore2002) {
  Claim c = MakeClaim();
  EXPECT_FALSE(DefaultInterestSegments(BaseRateTable::Builtin(), c, CustomerKind::kConsumer,
                                       D(2001, 12, 1), D(2002, 2, 1), {})
                   .ok());
}

}  // namespace
}  // namespace quitt::domain::de
