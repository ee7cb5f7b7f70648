// The collection events of issue 4: every payload round-trips through the codec, the hand-written
// writer matches nlohmann's canonical dump, and the fold tracks strategy, arrangement and flags.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event.h"
#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

std::vector<CaseEventPayload> CollectionPayloads() {
  return {
      CaseOpened{CustomerId(9), "Q-00000003-x", "EUR", "demo"},
      StrategyVariantAssigned{"de-b2c", 1, "champion", 0},
      StepTaken{"de-b2c", 1, "champion", "first_notice_friendly", 0, "letter",
                "de/b2c/first-notice-friendly", D("2026-03-01"), D("2026-03-02")},
      PromiseMade{Eur(5000), D("2026-03-10")},
      PromiseBroken{D("2026-03-14"), ResumePoint{"final_notice", 7, D("2026-03-14")}},
      PlanAgreed{Eur(10001),
                 "monthly",
                 {{D("2026-04-01"), Eur(3334)},
                  {D("2026-05-01"), Eur(3334)},
                  {D("2026-06-01"), Eur(3333)}}},
      PlanBroken{D("2026-04-07"), ResumePoint{"final_notice", 7, D("2026-04-07")}},
      PromiseKept{D("2026-05-02"), ResumePoint{}},
      PlanCompleted{D("2026-06-01"), ResumePoint{"court_dunning", 9, D("2026-06-07")}},
      DisputeRaised{"Ware \"nie\" erhalten"},
      DisputeResolved{"Lieferschein liegt vor", ResumePoint{"final_notice", 7, D("2026-07-10")}},
      HardshipFlagged{"Krankheit"},
      HardshipCleared{"", ResumePoint{}},
  };
}

TEST(CollectionEvents, RoundTripAndCanonicalJson) {
  for (const auto& payload : CollectionPayloads()) {
    const std::string type = EventTypeName(payload);
    const std::string json = PayloadToJson(payload);
    EXPECT_EQ(json, nlohmann::json::parse(json).dump()) << type;
    auto read = PayloadFromJson(type, 1, json);
    ASSERT_TRUE(read.ok()) << type << ": " << read.error().ToString();
    EXPECT_EQ(PayloadToJson(*read), json) << type;
    EXPECT_EQ(EventTypeName(*read), type);
  }
}

TEST(CollectionEvents, MissingFieldsAreNamed) {
  auto read = PayloadFromJson("step_taken", 1, R"({"action":"letter"})");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("'due'"), std::string::npos) << read.error().message();
  auto plan = PayloadFromJson("plan_agreed", 1,
                              R"({"instalments":[{"due":"2026-13-01"}],"rhythm":"monthly",)"
                              R"("total":{"amount":"1.00","currency":"EUR"}})");
  EXPECT_FALSE(plan.ok());
}

TEST(CollectionEvents, FoldTracksStrategyArrangementsAndFlags) {
  std::vector<CaseEvent> events;
  std::int64_t seq = 0;
  auto add = [&](CaseEventPayload payload) {
    events.push_back(CaseEvent{ClientId(1), CaseId(3), ++seq, D("2026-03-01"),
                               Timestamp::FromUnixMicros(0), "test", std::move(payload)});
  };
  add(CaseOpened{CustomerId(9), "Q-00000003-x", "EUR", "demo"});
  add(StrategyVariantAssigned{"de-b2c", 2, "challenger", 1});
  add(StepTaken{"de-b2c", 2, "challenger", "first", 0, "letter", "t", D("2026-03-01"),
                D("2026-03-01")});
  add(PromiseMade{Eur(5000), D("2026-03-10")});
  CaseState state = Fold(events);
  EXPECT_EQ(state.collection.strategy_id, "de-b2c");
  EXPECT_EQ(state.collection.variant_index, 1);
  EXPECT_EQ(state.collection.step_index, 0);
  EXPECT_EQ(state.collection.step_due, D("2026-03-01"));
  EXPECT_EQ(state.collection.arrangement, CollectionProgress::Arrangement::kPromise);
  ASSERT_EQ(state.collection.arrangement_dues.size(), 1u);
  EXPECT_EQ(state.collection.payments_before_arrangement, 0u);
  add(PromiseBroken{D("2026-03-14"), ResumePoint{"final", 4, D("2026-03-14")}});
  add(DisputeRaised{"no"});
  state = Fold(events);
  EXPECT_EQ(state.collection.arrangement, CollectionProgress::Arrangement::kNone);
  EXPECT_EQ(state.collection.resume.step_index, 4);
  EXPECT_TRUE(state.collection.disputed);
  add(DisputeResolved{"ok", ResumePoint{"final", 4, D("2026-03-20")}});
  add(StepTaken{"de-b2c", 2, "challenger", "final", 4, "letter", "t", D("2026-03-20"),
                D("2026-03-21")});
  state = Fold(events);
  EXPECT_FALSE(state.collection.disputed);
  EXPECT_EQ(state.collection.resume.step_index, -1);  // taken
  EXPECT_EQ(state.collection.steps_taken, 2);
}

}  // namespace
}  // namespace quitt::domain
