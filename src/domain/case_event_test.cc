#include "domain/case_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/case_event_codec.h"
#include "domain/case_state.h"

namespace quitt::domain {
namespace {

Claim SampleClaim(const std::string& ref, std::int64_t cents) {
  Claim claim;
  claim.id = ClaimId(7);
  claim.client = ClientId(1);
  claim.case_id = CaseId(3);
  claim.client_ref = ref;
  claim.reason = "Rechnung für Heizöl, Lieferung März";
  claim.invoice_date = *Date::Parse("2026-03-01");
  claim.due_date = *Date::Parse("2026-03-15");
  claim.default_date = *Date::Parse("2026-03-16");
  claim.default_basis = DefaultBasis::kCalendarDate;
  claim.principal = Money::FromMinorUnits(cents, Currency::Eur());
  claim.client_costs = Money::FromMinorUnits(250, Currency::Eur());
  return claim;
}

std::vector<StoredCaseEvent> SampleHistory() {
  std::vector<CaseEventPayload> payloads = {
      CaseOpened{CustomerId(9), "Q-00000003-x", "EUR", "import claims.csv"},
      ClaimAdded{SampleClaim("R-1", 12345)},
      ClaimAdded{SampleClaim("R-2", 100)},
      NoteAdded{"Kundin bittet um Rückruf nach 17 Uhr"},
      CaseClosed{CaseCloseReason::kRecalled, "client recalled"},
  };
  std::vector<StoredCaseEvent> history;
  Sha256Digest previous{};
  std::int64_t seq = 0;
  for (auto& payload : payloads) {
    CaseEvent event{ClientId(1),
                    CaseId(3),
                    ++seq,
                    *Date::Parse("2026-04-01"),
                    Timestamp::FromUnixMicros(1'700'000'000'000'000 + seq),
                    "user:anna",
                    payload};
    history.push_back(Seal(event, previous));
    previous = history.back().hash;
  }
  return history;
}

TEST(CaseEventCodec, EveryPayloadRoundTrips) {
  for (const auto& stored : SampleHistory()) {
    auto event = Unseal(stored);
    ASSERT_TRUE(event.ok()) << event.error().ToString();
    EXPECT_EQ(PayloadToJson(event->payload), stored.payload_json);
    EXPECT_EQ(EventTypeName(event->payload), stored.type);
  }
}

TEST(CaseEventCodec, ClaimKeepsEveryField) {
  auto stored = SampleHistory()[1];
  auto event = *Unseal(stored);
  const Claim& claim = std::get<ClaimAdded>(event.payload).claim;
  EXPECT_EQ(claim.client_ref, "R-1");
  EXPECT_EQ(claim.reason, "Rechnung für Heizöl, Lieferung März");
  EXPECT_EQ(claim.principal.ToDecimalString(), "123.45");
  EXPECT_EQ(claim.client_costs.ToDecimalString(), "2.50");
  EXPECT_EQ(*claim.default_date, *Date::Parse("2026-03-16"));
  EXPECT_EQ(claim.default_basis, DefaultBasis::kCalendarDate);
  EXPECT_FALSE(claim.obligation_date.has_value());
}

TEST(HashChain, AnIntactHistoryVerifies) { EXPECT_TRUE(VerifyChain(SampleHistory()).ok()); }

TEST(HashChain, EachHashCoversThePreviousHashAndTheCanonicalText) {
  // Sealing hashes header and payload in pieces; the result must stay the documented hash of
  // the whole canonical text, or every stored history would stop verifying.
  const auto history = SampleHistory();
  for (const auto& stored : history) {
    EXPECT_EQ(stored.hash,
              ChainHash(stored.previous_hash,
                        CanonicalEventText(stored.event, stored.type, stored.schema_version,
                                           stored.payload_json)))
        << "event " << stored.event.seq;
  }
}

TEST(HashChain, ATamperedPayloadIsFoundAtItsEvent) {
  auto history = SampleHistory();
  auto pos = history[2].payload_json.find("1.00");
  ASSERT_NE(pos, std::string::npos);
  history[2].payload_json.replace(pos, 4, "9.00");
  Status status = VerifyChain(history);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("event 3"), std::string::npos) << status.message();
}

TEST(HashChain, ATamperedEnvelopeOrAMissingEventIsFound) {
  auto history = SampleHistory();
  history[1].event.actor = "user:mallory";
  EXPECT_NE(VerifyChain(history).message().find("event 2"), std::string::npos);

  history = SampleHistory();
  history.erase(history.begin() + 1);
  EXPECT_NE(VerifyChain(history).message().find("event 2 is missing"), std::string::npos);

  history = SampleHistory();
  history[4].event.effective_date = *Date::Parse("2020-01-01");
  EXPECT_NE(VerifyChain(history).message().find("event 5"), std::string::npos);
}

TEST(HashChain, RehashingOneEventDoesNotHideTheChange) {
  auto history = SampleHistory();
  history[1].event.actor = "user:mallory";
  history[1] = Seal(*Unseal(history[1]), history[0].hash);  // forger recomputes this hash only
  Status status = VerifyChain(history);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("event 3"), std::string::npos) << status.message();
}

TEST(CaseState, FoldsTheHistory) {
  std::vector<CaseEvent> events;
  for (const auto& stored : SampleHistory()) events.push_back(*Unseal(stored));
  CaseState state = Fold({events.begin(), events.begin() + 4});
  EXPECT_EQ(state.status, CaseStatus::kOpen);
  EXPECT_EQ(state.claims.size(), 2u);
  EXPECT_EQ(state.PrincipalTotal().ToDecimalString(), "124.45");
  EXPECT_EQ(state.notes.size(), 1u);
  EXPECT_EQ(state.last_seq, 4);
  state = Apply(state, events[4]);
  EXPECT_EQ(state.status, CaseStatus::kClosed);
  EXPECT_EQ(*state.close_reason, CaseCloseReason::kRecalled);
}

TEST(CaseStateDeathTest, AGapInTheSequenceIsABug) {
  std::vector<CaseEvent> events;
  for (const auto& stored : SampleHistory()) events.push_back(*Unseal(stored));
  EXPECT_DEATH(Fold({events[0], events[2]}), "check failed");
}

TEST(UnknownEvents, AreReportedNotGuessed) {
  EXPECT_FALSE(PayloadFromJson("payment_teleported", 1, "{}").ok());
  EXPECT_FALSE(PayloadFromJson("note_added", 2, "{\"text\":\"x\"}").ok());
  EXPECT_FALSE(PayloadFromJson("note_added", 1, "not json").ok());
  auto missing = PayloadFromJson("note_added", 1, "{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("'text'"), std::string::npos);
}

}  // namespace
}  // namespace quitt::domain

namespace quitt::domain {
namespace {

TEST(CaseEventCodec, HandWrittenJsonIsCanonicalNlohmannJson) {
  Claim claim = SampleClaim("R-\"quoted\" \\ back\tslash\n\x01", 1);
  claim.reason = "Umlaute äöü ß € \x1f and \"quotes\"";
  claim.obligation_date = *Date::Parse("2014-07-28");
  claim.interest.statutory = false;
  claim.interest.contractual_rate_bp = 850;
  for (const CaseEventPayload& payload : std::vector<CaseEventPayload>{
           ClaimAdded{claim}, CaseOpened{CustomerId(1), "Q", "EUR", "a\"b"},
           NoteAdded{"line1\nline2\r\b\f"}, CaseClosed{CaseCloseReason::kWrittenOff, ""}}) {
    std::string written = PayloadToJson(payload);
    auto parsed = nlohmann::json::parse(written);
    EXPECT_EQ(written, parsed.dump()) << written;
  }
}

TEST(CaseEventCodec, EscapesEveryCharacterWhereverItStands) {
  // The writer skips eight plain bytes at a time: a character that needs escaping must be found
  // at every position of a word, at the end of a text and next to multi-byte UTF-8.
  const std::vector<std::string> specials = {
      "\"", "\\", "\n", "\t", std::string(1, '\x01'), std::string(1, '\x1f'), std::string(1, '\0')};
  for (const std::string& special : specials) {
    for (std::size_t length = 1; length <= 20; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'x');
        text.replace(at, 1, special);
        text += "ä€ plain tail";
        std::string written = PayloadToJson(NoteAdded{text});
        EXPECT_EQ(written, nlohmann::json::parse(written).dump()) << written;
        EXPECT_EQ(nlohmann::json::parse(written)["text"], text) << written;
      }
    }
  }
}

}  // namespace
}  // namespace quitt::domain
