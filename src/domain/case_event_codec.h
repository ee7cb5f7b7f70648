#pragma once
// Turning case events into their stored form and back, and the hash chain over them.
//
// Payloads are JSON objects with sorted keys (nlohmann::json keeps object keys sorted), dates as
// "YYYY-MM-DD", money as {"amount": "123.45", "currency": "EUR"}. The canonical text that is
// hashed joins, one per line: "quitt-case-event/1", client id, case id, seq, type, schema
// version, effective date, recorded-at, actor, payload JSON. The hash is
// SHA-256(previous 32-byte hash ‖ canonical text).
#include <string>

#include "common/sha256.h"
#include "common/status.h"
#include "domain/case_event.h"

namespace quitt::domain {

std::string PayloadToJson(const CaseEventPayload& payload);
// Reads a stored payload; errors name the event type and the field.
Result<CaseEventPayload> PayloadFromJson(const std::string& type, int schema_version,
                                         const std::string& json);

// The text the hash covers (see above).
std::string CanonicalEventText(const CaseEvent& event, const std::string& type, int schema_version,
                               const std::string& payload_json);
Sha256Digest ChainHash(const Sha256Digest& previous_hash, const std::string& canonical_text);

// Seals `event` onto a chain whose last hash is `previous_hash` (zeros for the first event).
StoredCaseEvent Seal(CaseEvent event, const Sha256Digest& previous_hash);
// The same into `into` (its previous content is replaced), for callers that keep events in a
// vector: an event with a claim is costly to move.
void SealInto(CaseEvent event, const Sha256Digest& previous_hash, StoredCaseEvent& into);

// Checks a whole history: sequence 1..n without gaps, each hash recomputed from the stored text,
// each previous hash equal to the hash before, each payload readable. Returns the first broken
// link as a DataLoss status naming the sequence number and what is wrong.
Status VerifyChain(const std::vector<StoredCaseEvent>& history);

// Rebuilds the typed event of a stored row (payload parsed from payload_json).
Result<CaseEvent> Unseal(const StoredCaseEvent& stored);

}  // namespace quitt::domain
