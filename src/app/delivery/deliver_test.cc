// The delivery decisions: exactly once by message key and recorded events, a bounce moves to the
// next channel, interrupted e-mails are not sent again, quiet hours wait, backoff.
#include "app/delivery/deliver.h"

#include <gtest/gtest.h>

#include "app/delivery/customer_contact.h"

namespace quitt::app::delivery {
namespace {

using letters::Channel;
using Kind = AttemptPlan::Kind;

const std::string kKey = "Q-00000001-3/de-b2c/first_notice_email/2026-03-02";

domain::Timestamp At(const char* iso) { return *domain::Timestamp::Parse(iso); }

ContactContext WeekdayMorning() {
  ContactContext c;
  c.reachable = {Channel::kLetter, Channel::kEmail, Channel::kSms};
  c.now = At("2026-03-02T09:00:00Z");
  c.now_local = {*domain::Date::Parse("2026-03-02"), 10 * 60};  // a Monday, 10:00
  return c;
}

RecordedDelivery D(const std::string& channel, int attempt, const std::string& state,
                   const std::string& detail = "", const char* at = "2026-03-02T09:00:00Z") {
  domain::MessageDelivery d;
  d.message_key = kKey;
  d.channel = channel;
  d.attempt = attempt;
  d.state = state;
  d.detail = detail;
  return {d, At(at)};
}

TEST(PlanAttempt, ANewMessageGoesOutOnItsChannel) {
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail, {}, WeekdayMorning());
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kEmail);
  EXPECT_EQ(plan.attempt, 1);
}

TEST(PlanAttempt, ASentMessageIsNeverSentAgain) {
  EXPECT_EQ(PlanAttempt(kKey, Channel::kEmail, {D("email", 1, "queued"), D("email", 1, "sent")},
                        WeekdayMorning())
                .kind,
            Kind::kDone);
}

TEST(PlanAttempt, AnInterruptedEmailIsRecordedNotResent) {
  AttemptPlan plan =
      PlanAttempt(kKey, Channel::kEmail, {D("email", 1, "queued")}, WeekdayMorning());
  EXPECT_EQ(plan.kind, Kind::kInterrupted);
  // After the failure is recorded the message is finished.
  EXPECT_EQ(
      PlanAttempt(kKey, Channel::kEmail,
                  {D("email", 1, "queued"), D("email", 1, "failed", plan.reason)}, WeekdayMorning())
          .kind,
      Kind::kDone);
}

TEST(PlanAttempt, AnInterruptedLetterIsMadeAgainUnderTheSameAttempt) {
  AttemptPlan plan =
      PlanAttempt(kKey, Channel::kLetter, {D("letter", 1, "queued")}, WeekdayMorning());
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kLetter);
  EXPECT_EQ(plan.attempt, 1);
}

TEST(PlanAttempt, ABounceSwitchesTheNextAttemptToAnotherChannel) {
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail,
                                 {D("email", 1, "queued"), D("email", 1, "bounced", "550 unknown")},
                                 WeekdayMorning());
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kLetter);
  EXPECT_EQ(plan.attempt, 2);
}

TEST(PlanAttempt, ALateBounceAfterSentReopensTheMessageOnAnotherChannel) {
  AttemptPlan plan = PlanAttempt(
      kKey, Channel::kEmail,
      {D("email", 1, "queued"), D("email", 1, "sent"), D("email", 1, "bounced", "DSN 5.1.1")},
      WeekdayMorning());
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kLetter);
  EXPECT_EQ(plan.attempt, 2);
  // ... and once the letter went out, the message is done.
  EXPECT_EQ(PlanAttempt(kKey, Channel::kEmail,
                        {D("email", 1, "sent"), D("email", 1, "bounced"), D("letter", 2, "queued"),
                         D("letter", 2, "sent")},
                        WeekdayMorning())
                .kind,
            Kind::kDone);
}

TEST(PlanAttempt, AnOptedOutChannelIsNeverUsed) {
  ContactContext context = WeekdayMorning();
  domain::ContactPreferencesChanged recorded;
  recorded.opted_out = "email,phone";
  recorded.preferred = "sms,letter";
  context.preferences = ContactPreferencesOf(recorded);
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail, {}, context);
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kSms);  // the customer's first preference
  recorded.opted_out = "email,sms,letter";
  context.preferences = ContactPreferencesOf(recorded);
  EXPECT_EQ(PlanAttempt(kKey, Channel::kEmail, {}, context).kind, Kind::kGiveUp);
}

TEST(ContactPreferencesOf, ReadsTheRecordedEvent) {
  EXPECT_TRUE(ContactPreferencesOf(std::nullopt).opted_out.empty());
  domain::ContactPreferencesChanged recorded;
  recorded.opted_out = "sms";
  recorded.earliest_minute = 600;
  const letters::ContactPreferences prefs = ContactPreferencesOf(recorded);
  EXPECT_EQ(prefs.opted_out, std::vector<Channel>{Channel::kSms});
  EXPECT_EQ(prefs.earliest_minute, 600);
  EXPECT_FALSE(prefs.latest_minute.has_value());
  EXPECT_EQ(*ParseMinuteOfDay("09:30"), 570);
  EXPECT_EQ(*ParseMinuteOfDay("24:00"), 1440);
  EXPECT_FALSE(ParseMinuteOfDay("9:30").ok());
  EXPECT_FALSE(ParseMinuteOfDay("12:60").ok());
}

TEST(PlanAttempt, ABounceOfAnotherMessageAvoidsThatChannelToo) {
  RecordedDelivery other = D("email", 1, "bounced");
  other.delivery.message_key = "Q-00000001-3/de-b2c/final_notice_email/2026-03-26";
  ContactContext context = WeekdayMorning();
  context.preferences.preferred = {Channel::kEmail, Channel::kSms};
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail, {other}, context);
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.channel, Channel::kSms);
}

TEST(PlanAttempt, NoChannelLeftGivesUp) {
  ContactContext context = WeekdayMorning();
  context.reachable = {Channel::kEmail};
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail, {D("email", 1, "bounced")}, context);
  EXPECT_EQ(plan.kind, Kind::kGiveUp);
}

TEST(PlanAttempt, QuietHoursWaitForALaterRun) {
  ContactContext context = WeekdayMorning();
  context.now_local.minute_of_day = 22 * 60;
  AttemptPlan plan = PlanAttempt(kKey, Channel::kSms, {}, context);
  EXPECT_EQ(plan.kind, Kind::kWait);
  // Letters have no quiet hours.
  EXPECT_EQ(PlanAttempt(kKey, Channel::kLetter, {}, context).kind, Kind::kSend);
}

TEST(PlanAttempt, ATemporaryFailureIsRetriedAfterTheBackoff) {
  std::vector<RecordedDelivery> history = {
      D("email", 1, "queued"),
      D("email", 1, "failed", "temporary: 421 try later", "2026-03-02T09:00:00Z")};
  ContactContext context = WeekdayMorning();
  context.now = At("2026-03-02T09:01:00Z");
  EXPECT_EQ(PlanAttempt(kKey, Channel::kEmail, history, context).kind, Kind::kWait);
  context.now = At("2026-03-02T09:06:00Z");
  AttemptPlan plan = PlanAttempt(kKey, Channel::kEmail, history, context);
  EXPECT_EQ(plan.kind, Kind::kSend);
  EXPECT_EQ(plan.attempt, 2);
}

TEST(PlanAttempt, APermanentFailureEndsTheMessage) {
  EXPECT_EQ(
      PlanAttempt(kKey, Channel::kEmail, {D("email", 1, "failed", "no template")}, WeekdayMorning())
          .kind,
      Kind::kDone);
}

TEST(StepOfTemplate, FirstNoticesAreTheFirstReminder) {
  EXPECT_EQ(StepOfTemplate("de/b2c/first-notice-friendly"), letters::LetterStep::kFirstReminder);
  EXPECT_EQ(StepOfTemplate("de/b2c/final-notice"), letters::LetterStep::kSecondReminder);
  EXPECT_EQ(StepOfTemplate(""), std::nullopt);
}

TEST(ReachableChannels, PostEmailAndMobileOnly) {
  domain::Customer customer;
  customer.address = {"Hauptstraße 1", "10115", "Berlin", "DE"};
  customer.emails = {"a@example.org"};
  customer.phones = {"+4930123456"};  // landline: no SMS
  EXPECT_EQ(ReachableChannels(customer), (std::vector<Channel>{Channel::kLetter, Channel::kEmail}));
  customer.phones.push_back("+4915112345678");
  EXPECT_EQ(ReachableChannels(customer).size(), 3u);
}

}  // namespace
}  // namespace quitt::app::delivery
