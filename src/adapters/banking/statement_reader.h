#pragma once
// One entry point for `quitt bank import FILE`: reads a bank statement file and recognises its
// format from the content (XML → camt.053/054, ":20:" or a SWIFT "{1:" block → MT940), so the
// user never names the format.
#include <string>
#include <vector>

#include "adapters/banking/camt_reader.h"
#include "common/status.h"
#include "domain/payment/bank_statement.h"

namespace quitt::adapters::banking {

Result<std::vector<domain::payment::BankStatement>> ReadStatementFile(
    const std::string& path, const CamtLimits& limits = {});

// The same for bytes already in memory (an upload through the API).
Result<std::vector<domain::payment::BankStatement>> ParseStatement(std::string_view content,
                                                                   const std::string& source,
                                                                   const CamtLimits& limits = {});

}  // namespace quitt::adapters::banking
