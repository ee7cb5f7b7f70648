#pragma once
// Case events: the immutable entries of a case history (the "Fallhistorie").
//
// Every change of a case is one event. An event has an envelope (client, case, per-case sequence
// number starting at 1, effective date, recorded-at instant, actor, schema version) and a typed
// payload. The payload types form one std::variant, so a new event type does not compile until
// the fold (case_state.cc) and the codec (case_event_codec.cc) handle it.
//
// Events are chained: each stored event carries SHA-256(previous hash ‖ canonical text of this
// event), the first one chaining on 32 zero bytes. Changing any stored byte of history breaks the
// chain at that event, which `quitt case verify` reports. The canonical text is defined in
// case_event_codec.h and documented in docs/formats/event-store.md.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/sha256.h"
#include "domain/claim.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/party.h"

namespace quitt::domain {

// The case was opened for one customer of one client.
struct CaseOpened {
  CustomerId customer;
  std::string case_number;  // CaseNumber::ToString()
  std::string currency;     // every claim of a case is in this currency
  std::string source;       // how the case came in: "import claims.csv", "api", "demo"
};

// A claim was handed over and joins the case.
struct ClaimAdded {
  Claim claim;
};

// An agent or the client wrote a note into the file.
struct NoteAdded {
  std::string text;
};

enum class CaseCloseReason { kPaid, kRecalled, kWrittenOff, kHandedBack };
const char* CaseCloseReasonName(CaseCloseReason reason);

// The case was closed; no further action is taken on it.
struct CaseClosed {
  CaseCloseReason reason = CaseCloseReason::kPaid;
  std::string remark;
};

using CaseEventPayload = std::variant<CaseOpened, ClaimAdded, NoteAdded, CaseClosed>;

// "case_opened", "claim_added", ...: the stored type name.
const char* EventTypeName(const CaseEventPayload& payload);
// Schema version of the payload's current shape; bumped when a payload changes incompatibly (old
// versions stay readable, see docs/formats/event-store.md).
int EventSchemaVersion(const CaseEventPayload& payload);

struct CaseEvent {
  ClientId client;
  CaseId case_id;
  std::int64_t seq = 0;                               // 1, 2, 3 ... within the case, no gaps
  Date effective_date = Date::FromDaysSinceEpoch(0);  // the business date the event takes effect
  Timestamp recorded_at = Timestamp::FromUnixMicros(0);
  std::string actor;  // "user:anna", "import:claims.csv", "system:daily-run"
  CaseEventPayload payload;
};

// A CaseEvent as stored: the exact payload text that was hashed, and the chain hashes.
struct StoredCaseEvent {
  CaseEvent event;
  std::string type;
  int schema_version = 1;
  std::string payload_json;
  Sha256Digest previous_hash{};
  Sha256Digest hash{};
};

}  // namespace quitt::domain
