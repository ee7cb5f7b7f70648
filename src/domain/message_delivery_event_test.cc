// The delivery event of issue 6 (message_delivery): canonical JSON, round trip, and the fold.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event.h"
#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

MessageDelivery Bounced() {
  MessageDelivery e;
  e.message_key = "Q-00000003-4/de-b2c/first_notice_email/2026-03-02";
  e.channel = "email";
  e.attempt = 2;
  e.state = "bounced";
  e.detail = "550 5.1.1 mailbox \"jörg\" unknown";
  e.template_id = "de/reminder_1.email";
  e.template_sha256 = std::string(64, 'a');
  return e;
}

TEST(MessageDeliveryEvent, WritesCanonicalJsonAndReadsItBack) {
  const CaseEventPayload payload = Bounced();
  EXPECT_STREQ(EventTypeName(payload), "message_delivery");
  const std::string text = PayloadToJson(payload);
  EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
  auto back = PayloadFromJson("message_delivery", EventSchemaVersion(payload), text);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  const auto* read = std::get_if<MessageDelivery>(&*back);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->attempt, 2);
  EXPECT_EQ(read->state, "bounced");
  EXPECT_EQ(read->detail, Bounced().detail);
  EXPECT_EQ(PayloadToJson(*back), text);
}

TEST(MessageDeliveryEvent, AMissingFieldIsAnError) {
  auto back = PayloadFromJson("message_delivery", 1, R"({"channel":"sms"})");
  EXPECT_FALSE(back.ok());
}

TEST(MessageDeliveryEvent, TheFoldKeepsDeliveriesInOrder) {
  std::vector<CaseEvent> history;
  std::int64_t seq = 0;
  auto add = [&](CaseEventPayload payload) {
    history.push_back(CaseEvent{ClientId(1), CaseId(3), ++seq, *Date::Parse("2026-03-02"),
                                Timestamp::FromUnixMicros(seq), "system:deliver",
                                std::move(payload)});
  };
  add(CaseOpened{CustomerId(9), "Q-00000003-4", "EUR", "test"});
  MessageDelivery queued = Bounced();
  queued.state = "queued";
  add(queued);
  add(Bounced());
  CaseState state = Fold(history);
  ASSERT_EQ(state.deliveries.size(), 2u);
  EXPECT_EQ(state.deliveries[0].state, "queued");
  EXPECT_EQ(state.deliveries[1].state, "bounced");
  EXPECT_EQ(state.last_seq, 3);
}

}  // namespace
}  // namespace quitt::domain
