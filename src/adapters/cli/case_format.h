#pragma once
// Text and JSON views of cases for the command line (and later the API): case detail, timeline,
// case list. Plain English labels, amounts as "1,234.56 EUR", dates ISO.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/case_service.h"

namespace quitt::adapters::cli {

std::string FormatAmount(const domain::Money& money);
std::string FormatCaseDetail(const app::CaseView& view);
std::string FormatHistory(const app::CaseView& view);
std::string FormatCaseList(const std::vector<app::CaseSummary>& cases);
// One line of plain words describing an event (used by the history and later the portal).
std::string DescribeEvent(const domain::CaseEvent& event);

nlohmann::json MoneyJson(const domain::Money& money);
nlohmann::json CaseSummaryJson(const app::CaseSummary& summary);
nlohmann::json CaseDetailJson(const app::CaseView& view);
nlohmann::json HistoryJson(const app::CaseView& view);

}  // namespace quitt::adapters::cli
