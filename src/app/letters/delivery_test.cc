#include "app/letters/delivery.h"

#include <gtest/gtest.h>

#include "app/letters/letter_fixtures.h"

namespace quitt::app::letters {
namespace {

TEST(DeliveryTest, StateNamesRoundTrip) {
  for (DeliveryState s :
       {DeliveryState::kQueued, DeliveryState::kSent, DeliveryState::kDelivered,
        DeliveryState::kBounced, DeliveryState::kOpened, DeliveryState::kFailed}) {
    EXPECT_EQ(ParseDeliveryState(DeliveryStateName(s)), s);
  }
  EXPECT_EQ(ParseDeliveryState("lost"), std::nullopt);
}

TEST(DeliveryTest, MessageKeyIsStable) {
  const LetterModel m = SampleConsumerFirstReminder("de");
  EXPECT_EQ(MessageKey(m, Channel::kEmail, 1), m.case_number->ToString() + ".reminder_1.email.1");
  EXPECT_EQ(m.case_number->ToString().substr(0, 11), "Q-00012345-");
  EXPECT_EQ(MessageKey(m, Channel::kEmail, 1), MessageKey(m, Channel::kEmail, 1));
  EXPECT_NE(MessageKey(m, Channel::kEmail, 1), MessageKey(m, Channel::kEmail, 2));
}

TEST(DeliveryTest, RetryBackoffDoublesAndCaps) {
  EXPECT_EQ(RetryDelaySeconds(1), 300);
  EXPECT_EQ(RetryDelaySeconds(2), 600);
  EXPECT_EQ(RetryDelaySeconds(3), 1200);
  EXPECT_EQ(RetryDelaySeconds(20), 6 * 3600);
}

}  // namespace
}  // namespace quitt::app::letters
