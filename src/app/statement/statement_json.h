#pragma once
// Renders a Statement as JSON for the API and files. Money is {"amount": "1234.56", "currency":
// "EUR"} (decimal string, never a number), dates ISO 8601, rates in basis points plus a percent
// string. The shape is documented in docs/ledger.md.
#include <nlohmann/json.hpp>
#include <string>

#include "domain/jurisdiction/jurisdiction.h"
#include "domain/ledger/statement.h"

namespace quitt::app {

nlohmann::json StatementToJson(const domain::Statement& statement);
// One payment's allocation: the payload to record as a case event ("payment_allocated");
// the same as domain::AllocationToJson (domain/ledger/ledger_codec.h), which also reads it back.
nlohmann::json AllocationToJson(const domain::PaymentAllocation& allocation);
// Pretty-printed StatementToJson, two-space indent, trailing newline.
std::string RenderStatementJson(const domain::Statement& statement);

}  // namespace quitt::app
