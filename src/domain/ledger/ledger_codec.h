#pragma once
// JSON payloads of the ledger's inputs and results that are recorded as case events:
//   "fee_charged"       ← FeeEvent (the input; the fee lines are re-derived by the ledger)
//   "payment_allocated" ← PaymentAllocation (how one payment was split, with legal bases)
// Money is {"amount": "12.34", "currency": "EUR"}, dates ISO 8601, claim ids integers. Reading
// names the field that is wrong: "parts[1].bucket: 'fees' is not costs/interest/principal".
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::domain {

nlohmann::json AllocationToJson(const PaymentAllocation& allocation);
Result<PaymentAllocation> AllocationFromJson(const nlohmann::json& json);

nlohmann::json FeeEventToJson(const FeeEvent& event);
Result<FeeEvent> FeeEventFromJson(const nlohmann::json& json);

std::optional<Bucket> ParseBucket(std::string_view text);
std::optional<FeeKind> ParseFeeKind(std::string_view text);

}  // namespace quitt::domain
