// The contact events of issue 6 (contact_preferences_changed, portal_access_issued): canonical
// JSON, round trip, and the fold (the latest change wins).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event.h"
#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

ContactPreferencesChanged NoSms() {
  ContactPreferencesChanged e;
  e.opted_out = "sms,phone";
  e.preferred = "email,letter";
  e.earliest_minute = 10 * 60;
  e.latest_minute = 18 * 60;
  e.source = "Anruf, Agentin \"Jörg\"";
  e.on = *Date::Parse("2026-03-04");
  return e;
}

TEST(ContactEvents, WriteCanonicalJsonAndReadBack) {
  for (const CaseEventPayload& payload :
       {CaseEventPayload(NoSms()), CaseEventPayload(PortalAccessIssued{std::string(32, 'f')})}) {
    const std::string text = PayloadToJson(payload);
    EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
    auto back = PayloadFromJson(EventTypeName(payload), EventSchemaVersion(payload), text);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(back->index(), payload.index());
    EXPECT_EQ(PayloadToJson(*back), text);
  }
  EXPECT_STREQ(EventTypeName(CaseEventPayload(NoSms())), "contact_preferences_changed");
  auto back = PayloadFromJson("contact_preferences_changed", 1, PayloadToJson(NoSms()));
  const auto* read = std::get_if<ContactPreferencesChanged>(&*back);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->opted_out, "sms,phone");
  EXPECT_EQ(read->latest_minute, 18 * 60);
  EXPECT_EQ(read->source, NoSms().source);
  EXPECT_EQ(read->on, NoSms().on);
}

TEST(ContactEvents, AMissingFieldIsAnError) {
  EXPECT_FALSE(PayloadFromJson("contact_preferences_changed", 1, R"({"opted_out":"sms"})").ok());
  EXPECT_FALSE(PayloadFromJson("portal_access_issued", 1, R"({})").ok());
}

TEST(ContactEvents, TheFoldKeepsTheLatestPreferencesAndSalt) {
  std::vector<CaseEvent> history;
  std::int64_t seq = 0;
  auto add = [&](CaseEventPayload payload) {
    history.push_back(CaseEvent{ClientId(1), CaseId(3), ++seq, *Date::Parse("2026-03-02"),
                                Timestamp::FromUnixMicros(seq), "user:anna", std::move(payload)});
  };
  add(CaseOpened{CustomerId(9), "Q-00000003-4", "EUR", "test"});
  EXPECT_FALSE(Fold(history).contact_preferences.has_value());
  add(NoSms());
  ContactPreferencesChanged later = NoSms();
  later.opted_out = "";
  add(later);
  add(PortalAccessIssued{"00112233445566778899aabbccddeeff"});
  const CaseState state = Fold(history);
  ASSERT_TRUE(state.contact_preferences.has_value());
  EXPECT_EQ(state.contact_preferences->opted_out, "");
  EXPECT_EQ(state.portal_salt, "00112233445566778899aabbccddeeff");
}

}  // namespace
}  // namespace quitt::domain
