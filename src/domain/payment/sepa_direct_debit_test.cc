#include "domain/payment/sepa_direct_debit.h"

#include <gtest/gtest.h>

namespace quitt::domain::payment {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

TEST(CreditorIdTest, AcceptsTheBundesbankTestId) {
  // The Bundesbank's published test creditor identifier.
  auto id = ValidateCreditorId("DE98ZZZ09999999999");
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(*id, "DE98ZZZ09999999999");
  EXPECT_EQ(*ValidateCreditorId("de98 zzz 0999 9999 999"), "DE98ZZZ09999999999");
}

TEST(CreditorIdTest, TheBusinessCodeDoesNotChangeTheCheckDigits) {
  EXPECT_TRUE(ValidateCreditorId("DE98ABC09999999999").ok());
  EXPECT_TRUE(ValidateCreditorId("AT61ZZZ01234567890").ok());
}

TEST(CreditorIdTest, RefusesWrongCheckDigitsLengthAndCharacters) {
  auto wrong = ValidateCreditorId("DE97ZZZ09999999999");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("gives 98"), std::string::npos) << wrong.error().message();
  EXPECT_FALSE(ValidateCreditorId("DE98ZZZ0999999999").ok());  // 17 characters
  EXPECT_FALSE(ValidateCreditorId("DE98ZZZ0999999999!").ok());
  EXPECT_FALSE(ValidateCreditorId("1E98ZZZ09999999999").ok());
  // A transposition of two digits of the national part is caught.
  EXPECT_FALSE(ValidateCreditorId("DE02ZZZ01234567809").ok());
  // The sample files' NL89ZZZ011234567890 is a placeholder whose digits do not check.
  EXPECT_FALSE(ValidateCreditorId("NL89ZZZ011234567890").ok());
}

TEST(MandateReferenceTest, FollowsTheRulebookCharacterSet) {
  EXPECT_EQ(*ValidateMandateReference(" Q-00000001-3/1 "), "Q-00000001-3/1");
  EXPECT_TRUE(ValidateMandateReference("abc+?/-:().,' 09").ok());
  EXPECT_TRUE(ValidateMandateReference(std::string(35, 'A')).ok());
  EXPECT_FALSE(ValidateMandateReference(std::string(36, 'A')).ok());
  EXPECT_FALSE(ValidateMandateReference("").ok());
  EXPECT_FALSE(ValidateMandateReference("MANDAT_1").ok());
  EXPECT_FALSE(ValidateMandateReference("MÜLLER1").ok());
  EXPECT_FALSE(ValidateMandateReference("/ABC").ok());
  EXPECT_FALSE(ValidateMandateReference("A//B").ok());
}

TEST(TargetCalendarTest, KnowsWeekendsAndClosingDays) {
  EXPECT_TRUE(IsTargetBusinessDay(D("2026-11-23")));   // Monday
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-11-21")));  // Saturday
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-04-03")));  // Good Friday 2026
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-04-06")));  // Easter Monday 2026
  EXPECT_FALSE(IsTargetBusinessDay(D("2025-04-18")));  // Good Friday 2025
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-05-01")));
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-12-25")));
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-12-26")));
  EXPECT_FALSE(IsTargetBusinessDay(D("2027-01-01")));
  EXPECT_FALSE(IsTargetBusinessDay(D("2026-10-03")));  // a Saturday in 2026
  EXPECT_TRUE(IsTargetBusinessDay(D("2025-10-03")));   // German holiday, TARGET open
}

TEST(TargetCalendarTest, CountsBusinessDays) {
  EXPECT_EQ(NextTargetBusinessDay(D("2026-04-03")), D("2026-04-07"));
  EXPECT_EQ(AddTargetBusinessDays(D("2026-11-20"), 1), D("2026-11-23"));  // Friday + 1
  EXPECT_EQ(AddTargetBusinessDays(D("2026-12-24"), 1), D("2026-12-28"));
  EXPECT_EQ(AddTargetBusinessDays(D("2026-11-21"), 0), D("2026-11-23"));
}

}  // namespace
}  // namespace quitt::domain::payment
