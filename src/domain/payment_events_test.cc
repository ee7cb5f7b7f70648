// The money events of issue 5 (payment_received, payment_allocated, fee_charged, payment_held):
// canonical JSON, round trip, checks on read, and their effect on the fold.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event.h"
#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

std::vector<CaseEventPayload> MoneyPayloads() {
  PaymentReceived received;
  received.payment_ref = "DE89370400440532013000|asr:ABC-1";
  received.booked_on = *Date::Parse("2026-11-02");
  received.amount = Eur(12345);
  received.payer_name = "Jörg Müller \"Senior\"";
  received.payer_iban = "DE02120300000000202051";
  received.remittance = "RF61 0000 0001 2 Rechnung\n17";
  received.match_reason = "creditor reference";
  received.confidence = 100;

  PaymentAllocated allocated;
  allocated.payment_ref = received.payment_ref;
  allocated.date = received.booked_on;
  allocated.amount = Eur(12345);
  allocated.parts = {
      {ClaimId(7), "costs", Eur(4050), "§ 367(1) BGB",
       "https://www.gesetze-im-internet.de/bgb/__367.html"},
      {ClaimId(7), "interest", Eur(295), "§ 367(1) BGB", "bgb"},
      {ClaimId(8), "principal", Eur(7000), "§ 366(2) BGB", "bgb"},
  };
  allocated.surplus = Eur(1000);

  FeeCharged fee;
  fee.fee_ref = "fee-1";
  fee.date = *Date::Parse("2026-10-01");
  fee.kind = "business_fee";
  fee.course = "regular";
  fee.charged = Eur(9000);
  fee.claims = {ClaimId(7), ClaimId(8)};

  FeeCharged plain_fee;
  plain_fee.fee_ref = "fee-2";
  plain_fee.date = *Date::Parse("2026-10-05");
  plain_fee.kind = "settlement_fee";
  plain_fee.course = "regular";
  plain_fee.value = Eur(50000);

  return {received, allocated, fee, plain_fee,
          PaymentHeld{received.payment_ref, Eur(1000), "overpayment"}};
}

TEST(PaymentEvents, WriteCanonicalJsonAndReadBack) {
  for (const CaseEventPayload& payload : MoneyPayloads()) {
    const std::string type = EventTypeName(payload);
    const std::string text = PayloadToJson(payload);
    // The hand-written writer must equal nlohmann's canonical dump (sorted keys, no spaces).
    EXPECT_EQ(nlohmann::json::parse(text).dump(), text) << type;
    auto back = PayloadFromJson(type, EventSchemaVersion(payload), text);
    ASSERT_TRUE(back.ok()) << type << ": " << back.error().ToString();
    EXPECT_EQ(PayloadToJson(*back), text) << type;
  }
}

TEST(PaymentEvents, TypeNames) {
  auto payloads = MoneyPayloads();
  EXPECT_STREQ(EventTypeName(payloads[0]), "payment_received");
  EXPECT_STREQ(EventTypeName(payloads[1]), "payment_allocated");
  EXPECT_STREQ(EventTypeName(payloads[2]), "fee_charged");
  EXPECT_STREQ(EventTypeName(payloads[4]), "payment_held");
}

TEST(PaymentEvents, AnAllocationThatDoesNotAddUpIsRefused) {
  const std::string text = PayloadToJson(MoneyPayloads()[1]);
  std::string tampered = text;
  tampered.replace(tampered.find("\"70.00\""), 7, "\"71.00\"");
  auto back = PayloadFromJson("payment_allocated", 1, tampered);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message().find("add up to 124.45"), std::string::npos)
      << back.error().ToString();
  std::string bad_bucket = text;
  bad_bucket.replace(bad_bucket.find("\"costs\""), 7, "\"fees!\"");
  auto refused = PayloadFromJson("payment_allocated", 1, bad_bucket);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().ToString().find("parts[0]"), std::string::npos);
}

TEST(PaymentEvents, TheFoldKeepsPaymentsAllocationsFeesAndHolds) {
  std::vector<CaseEvent> history;
  std::int64_t seq = 0;
  auto add = [&](CaseEventPayload payload) {
    history.push_back(CaseEvent{ClientId(1), CaseId(3), ++seq, *Date::Parse("2026-11-02"),
                                Timestamp::FromUnixMicros(seq), "system:bank", std::move(payload)});
  };
  add(CaseOpened{CustomerId(9), "Q-00000003-4", "EUR", "test"});
  for (auto& payload : MoneyPayloads()) add(payload);
  CaseState state = Fold(history);
  ASSERT_EQ(state.payments.size(), 1u);
  EXPECT_EQ(state.payments[0].amount, Eur(12345));
  ASSERT_EQ(state.allocations.size(), 1u);
  EXPECT_EQ(state.allocations[0].parts.size(), 3u);
  EXPECT_EQ(state.fees.size(), 2u);
  ASSERT_EQ(state.held.size(), 1u);
  EXPECT_EQ(state.held[0].reason, "overpayment");
  EXPECT_EQ(state.last_seq, 6);
}

}  // namespace
}  // namespace quitt::domain
