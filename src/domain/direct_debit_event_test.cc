// The SEPA direct-debit events of issue 5: canonical JSON, round trip, and the fold (a returned
// direct debit takes its payment back out of the state).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event.h"
#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

std::vector<CaseEventPayload> Samples() {
  MandateGiven given{"Q-00000003-4/1", D("2026-02-01"), "DE89370400440532013000",
                     "COBADEFFXXX",    "Jörg Müller",   "CORE"};
  MandateRevoked revoked{"Q-00000003-4/1", D("2026-05-02"), "customer's letter"};
  DirectDebitCollected collected{"QUITT-Q000000034-DD0001", "Q-00000003-4/1", "FRST",
                                 D("2026-03-01"),           Eur(5000),        D("2026-03-02"),
                                 "QUITT-DD-20260220-1"};
  DirectDebitReturned returned{"QUITT-Q000000034-DD0001", "acct|asr:1", "acct|asr:2",
                               D("2026-03-09"),           Eur(5000),    "MD06"};
  return {given, revoked, collected, returned};
}

TEST(DirectDebitEvents, WriteCanonicalJsonAndReadItBack) {
  const char* names[] = {"mandate_given", "mandate_revoked", "direct_debit_collected",
                         "direct_debit_returned"};
  int i = 0;
  for (const CaseEventPayload& payload : Samples()) {
    EXPECT_STREQ(EventTypeName(payload), names[i++]);
    const std::string text = PayloadToJson(payload);
    EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
    auto back = PayloadFromJson(EventTypeName(payload), EventSchemaVersion(payload), text);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(back->index(), payload.index());
    EXPECT_EQ(PayloadToJson(*back), text);
  }
  auto missing = PayloadFromJson("direct_debit_collected", 1, R"({"sequence":"FRST"})");
  EXPECT_FALSE(missing.ok());
}

TEST(DirectDebitEvents, AReturnDropsThePaymentItSettled) {
  std::vector<CaseEvent> history;
  std::int64_t seq = 0;
  auto add = [&](CaseEventPayload payload) {
    history.push_back(CaseEvent{ClientId(1), CaseId(3), ++seq, D("2026-03-02"),
                                Timestamp::FromUnixMicros(seq), "test", std::move(payload)});
  };
  add(CaseOpened{CustomerId(9), "Q-00000003-4", "EUR", "test"});
  add(PaymentReceived{"early", D("2026-01-10"), Eur(100), "", "", "", "", 100});
  add(PlanAgreed{
      Eur(10000), "monthly", {{D("2026-03-01"), Eur(5000)}, {D("2026-04-01"), Eur(5000)}}});
  for (auto& payload : Samples()) {
    if (std::holds_alternative<DirectDebitReturned>(payload)) continue;
    if (std::holds_alternative<MandateRevoked>(payload)) continue;
    add(payload);
  }
  add(PaymentReceived{"acct|asr:1", D("2026-03-02"), Eur(5000), "", "", "", "", 90});
  add(PaymentAllocated{"acct|asr:1", D("2026-03-02"), Eur(5000), {}, Eur(0)});
  CaseState before = Fold(history);
  ASSERT_EQ(before.payments.size(), 2u);
  EXPECT_EQ(before.collection.payments_before_arrangement, 1u);
  add(Samples()[3]);
  CaseState after = Fold(history);
  ASSERT_EQ(after.payments.size(), 1u);
  EXPECT_EQ(after.payments[0].payment_ref, "early");
  EXPECT_TRUE(after.allocations.empty());
  EXPECT_EQ(after.collection.payments_before_arrangement, 1u);
  EXPECT_EQ(after.mandates.size(), 1u);
  EXPECT_EQ(after.direct_debits.size(), 1u);
  EXPECT_EQ(after.direct_debit_returns.size(), 1u);
}

}  // namespace
}  // namespace quitt::domain
