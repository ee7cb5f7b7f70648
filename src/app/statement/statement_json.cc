#include "app/statement/statement_json.h"

#include "domain/ledger/ledger_codec.h"

namespace quitt::app {
namespace {

using nlohmann::json;

json MoneyJson(const domain::Money& m) {
  return json{{"amount", m.ToDecimalString()}, {"currency", std::string(m.currency().code())}};
}

std::string PercentString(std::int32_t bp) {
  std::string sign = bp < 0 ? "-" : "";
  std::int32_t a = bp < 0 ? -bp : bp;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(a / 100) + "." + frac;
}

json BasisJson(const domain::LegalBasis& b) { return json{{"rule", b.rule}, {"source", b.source}}; }

json FeeLineJson(const domain::FeeLine& l) {
  json j{{"kind", domain::CostKindName(l.kind)},
         {"date", l.date.ToString()},
         {"amount", MoneyJson(l.amount)},
         {"legal_basis", BasisJson(l.basis)}};
  if (!l.fee_ref.empty()) j["fee_ref"] = l.fee_ref;
  if (l.value) j["value"] = MoneyJson(*l.value);
  if (l.rate_tenths) j["rate_tenths"] = l.rate_tenths;
  if (!l.table_row.empty()) j["table_row"] = l.table_row;
  if (!l.note.empty()) j["note"] = l.note;
  return j;
}

}  // namespace

json AllocationToJson(const domain::PaymentAllocation& a) { return domain::AllocationToJson(a); }

json StatementToJson(const domain::Statement& s) {
  json claims = json::array();
  for (const auto& c : s.claims) {
    json lines = json::array();
    for (const auto& l : c.interest_lines) {
      json line{{"from", l.from.ToString()},
                {"to", l.to.ToString()},
                {"days", l.days},
                {"year_days", l.year_days},
                {"rate_bp", l.rate_bp},
                {"rate_percent", PercentString(l.rate_bp)},
                {"margin_bp", l.margin_bp},
                {"principal", MoneyJson(l.principal)},
                {"interest", MoneyJson(l.interest)},
                {"legal_basis", BasisJson(l.basis)},
                {"rate_source", BasisJson(l.rate_source)},
                {"provisional", l.provisional}};
      if (l.base_rate_bp) line["base_rate_bp"] = *l.base_rate_bp;
      lines.push_back(line);
    }
    json costs = json::array();
    for (const auto& l : c.claim_costs) costs.push_back(FeeLineJson(l));
    json claim{{"claim_id", c.claim.value()},
               {"client_reference", c.client_ref},
               {"reason", c.reason},
               {"invoice_date", c.invoice_date.ToString()},
               {"due_date", c.due_date.ToString()},
               {"default_basis", domain::DefaultBasisName(c.default_basis)},
               {"principal", MoneyJson(c.principal)},
               {"interest_lines", lines},
               {"interest", MoneyJson(c.interest)},
               {"claim_costs", costs},
               {"collection_cost_share", MoneyJson(c.collection_cost_share)},
               {"costs", MoneyJson(c.costs)},
               {"paid", json{{"costs", MoneyJson(c.paid_costs)},
                             {"interest", MoneyJson(c.paid_interest)},
                             {"principal", MoneyJson(c.paid_principal)}}},
               {"open", json{{"costs", MoneyJson(c.open_costs)},
                             {"interest", MoneyJson(c.open_interest)},
                             {"principal", MoneyJson(c.open_principal)},
                             {"total", MoneyJson(c.open_total)}}},
               {"limitation", json{{"expires", c.limitation.expires.ToString()},
                                   {"warn_from", c.limitation.warn_from.ToString()},
                                   {"urgent_from", c.limitation.urgent_from.ToString()},
                                   {"state", domain::LimitationStateName(c.limitation.state)},
                                   {"legal_basis", BasisJson(c.limitation.basis)}}}};
    if (c.default_date) claim["default_date"] = c.default_date->ToString();
    if (!c.interest_note.empty()) claim["interest_note"] = c.interest_note;
    claims.push_back(claim);
  }
  json fees = json::array();
  for (const auto& l : s.collection_costs) fees.push_back(FeeLineJson(l));
  json payments = json::array();
  for (const auto& p : s.payments) payments.push_back(domain::AllocationToJson(p));
  return json{{"country", s.country},
              {"as_of", s.as_of.ToString()},
              {"currency", std::string(s.currency.code())},
              {"customer_kind", domain::CustomerKindName(s.customer_kind)},
              {"day_count", domain::DayCountName(s.day_count)},
              {"claims", claims},
              {"collection_costs", fees},
              {"payments", payments},
              {"totals", json{{"principal", MoneyJson(s.total_principal)},
                              {"interest", MoneyJson(s.total_interest)},
                              {"costs", MoneyJson(s.total_costs)},
                              {"paid", MoneyJson(s.total_paid)},
                              {"surplus", MoneyJson(s.total_surplus)},
                              {"due", MoneyJson(s.total_due)}}},
              {"notes", s.notes}};
}

std::string RenderStatementJson(const domain::Statement& s) {
  return StatementToJson(s).dump(2) + "\n";
}

}  // namespace quitt::app
