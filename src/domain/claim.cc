#include "domain/claim.h"

#include "common/text.h"

namespace quitt::domain {

const char* DefaultBasisName(DefaultBasis basis) {
  switch (basis) {
    case DefaultBasis::kCalendarDate: return "calendar_date";
    case DefaultBasis::kReminder: return "reminder";
    case DefaultBasis::kThirtyDayRule: return "thirty_day_rule";
    case DefaultBasis::kRefusal: return "refusal";
    case DefaultBasis::kStatedByClient: return "stated_by_client";
  }
  return "stated_by_client";
}

std::optional<DefaultBasis> ParseDefaultBasis(std::string_view text) {
  std::string word = ToLowerAscii(Trim(text));
  if (word == "calendar_date" || word == "calendar" || word == "kalenderdatum") {
    return DefaultBasis::kCalendarDate;
  }
  if (word == "reminder" || word == "mahnung") return DefaultBasis::kReminder;
  if (word == "thirty_day_rule" || word == "30_days" || word == "30-tage-regel" ||
      word == "30 tage") {
    return DefaultBasis::kThirtyDayRule;
  }
  if (word == "refusal" || word == "verweigerung") return DefaultBasis::kRefusal;
  if (word == "stated_by_client" || word.empty()) return DefaultBasis::kStatedByClient;
  return std::nullopt;
}

std::vector<FieldProblem> ValidateClaim(const Claim& claim) {
  std::vector<FieldProblem> problems;
  if (Trim(claim.client_ref).empty()) problems.push_back({"client_reference", "is empty"});
  if (claim.client_ref.size() > 64) {
    problems.push_back({"client_reference", "is longer than 64 characters"});
  }
  if (!claim.principal.is_positive()) {
    problems.push_back(
        {"amount", "must be greater than zero, is " + claim.principal.ToDecimalString()});
  }
  if (claim.client_costs.is_negative()) {
    problems.push_back(
        {"costs", "must not be negative, is " + claim.client_costs.ToDecimalString()});
  }
  if (!(claim.client_costs.currency() == claim.principal.currency())) {
    problems.push_back({"costs", "must be in the claim's currency"});
  }
  if (claim.due_date < claim.invoice_date) {
    problems.push_back({"due_date", claim.due_date.ToString() + " is before the invoice date " +
                                        claim.invoice_date.ToString()});
  }
  if (claim.default_date && *claim.default_date <= claim.due_date) {
    // § 286: default cannot begin before the claim fell due; the earliest day is the day after.
    problems.push_back({"default_date", claim.default_date->ToString() +
                                            " is not after the due date " +
                                            claim.due_date.ToString()});
  }
  if (!claim.interest.statutory &&
      (claim.interest.contractual_rate_bp < 0 || claim.interest.contractual_rate_bp > 10000)) {
    problems.push_back({"interest_rate", "contractual rate must be between 0 % and 100 %"});
  }
  return problems;
}

}  // namespace quitt::domain
