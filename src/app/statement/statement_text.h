#pragma once
// Renders a Statement as plain text a non-lawyer can read: English labels, German number and date
// formatting (1.234,56 EUR, 31.12.2025), every figure followed by a [n] mark pointing into the
// numbered list of legal bases and sources at the end.
#include <string>

#include "domain/ledger/statement.h"

namespace quitt::app {

std::string RenderStatementText(const domain::Statement& statement);

}  // namespace quitt::app
