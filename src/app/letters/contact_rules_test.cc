#include "app/letters/contact_rules.h"

#include <gtest/gtest.h>

namespace quitt::app::letters {
namespace {

domain::Date D(int y, int m, int d) { return domain::Date::FromYmd(y, m, d).value(); }
using K = ContactDecision::Kind;

// 2026-07-01 is a Wednesday.
TEST(ContactRulesTest, InsideWindowSendsNow) {
  const ContactDecision d = DecideContact({}, {}, Channel::kEmail, {D(2026, 7, 1), 9 * 60});
  EXPECT_EQ(d.kind, K::kSendNow);
}

TEST(ContactRulesTest, EarlyMorningDefersToStartOfWindow) {
  const ContactDecision d = DecideContact({}, {}, Channel::kSms, {D(2026, 7, 1), 6 * 60});
  ASSERT_EQ(d.kind, K::kDefer);
  EXPECT_EQ(d.not_before, (LocalDateTime{D(2026, 7, 1), 8 * 60}));
}

TEST(ContactRulesTest, SaturdayEveningDefersPastSundayToMonday) {
  const ContactDecision d = DecideContact({}, {}, Channel::kSms, {D(2026, 7, 4), 21 * 60});
  ASSERT_EQ(d.kind, K::kDefer);
  EXPECT_EQ(d.not_before, (LocalDateTime{D(2026, 7, 6), 8 * 60}));
}

TEST(ContactRulesTest, HolidaySkipped) {
  ContactPolicy policy;
  policy.holidays = {D(2026, 10, 3)};  // Saturday, Tag der Deutschen Einheit
  const ContactDecision d = DecideContact(policy, {}, Channel::kEmail, {D(2026, 10, 3), 10 * 60});
  ASSERT_EQ(d.kind, K::kDefer);
  EXPECT_EQ(d.not_before.date, D(2026, 10, 5));
}

TEST(ContactRulesTest, LettersHaveNoQuietHours) {
  EXPECT_EQ(DecideContact({}, {}, Channel::kLetter, {D(2026, 7, 5), 23 * 60}).kind, K::kSendNow);
}

TEST(ContactRulesTest, OptOutAndPauseRefuse) {
  ContactPreferences prefs;
  prefs.opted_out = {Channel::kSms};
  EXPECT_EQ(DecideContact({}, prefs, Channel::kSms, {D(2026, 7, 1), 9 * 60}).kind, K::kRefused);
  EXPECT_EQ(DecideContact({}, prefs, Channel::kEmail, {D(2026, 7, 1), 9 * 60}).kind, K::kSendNow);
  prefs.all_contact_paused = true;
  EXPECT_EQ(DecideContact({}, prefs, Channel::kLetter, {D(2026, 7, 1), 9 * 60}).kind, K::kRefused);
}

TEST(ContactRulesTest, CustomerWindowNarrowsPolicy) {
  ContactPreferences prefs;
  prefs.earliest_minute = 10 * 60;
  const ContactDecision d = DecideContact({}, prefs, Channel::kEmail, {D(2026, 7, 1), 9 * 60});
  ASSERT_EQ(d.kind, K::kDefer);
  EXPECT_EQ(d.not_before.minute_of_day, 10 * 60);
}

TEST(ContactRulesTest, NoAllowedDayRefuses) {
  ContactPolicy policy;
  policy.sms.weekdays.fill(false);
  EXPECT_EQ(DecideContact(policy, {}, Channel::kSms, {D(2026, 7, 1), 9 * 60}).kind, K::kRefused);
}

TEST(ContactRulesTest, ChooseChannelHonoursPreferenceOptOutAndBounce) {
  ContactPreferences prefs;
  prefs.preferred = {Channel::kEmail, Channel::kSms};
  const std::vector<Channel> all = {Channel::kLetter, Channel::kEmail, Channel::kSms};
  EXPECT_EQ(ChooseChannel(prefs, all, {}), Channel::kEmail);
  EXPECT_EQ(ChooseChannel(prefs, all, {Channel::kEmail}), Channel::kSms);
  prefs.opted_out = {Channel::kSms};
  EXPECT_EQ(ChooseChannel(prefs, all, {Channel::kEmail}), Channel::kLetter);
  EXPECT_EQ(ChooseChannel(prefs, {Channel::kEmail}, {Channel::kEmail}), std::nullopt);
}

}  // namespace
}  // namespace quitt::app::letters
