#pragma once
// Statement: the result of the ledger fold for one case as of one date: the § 13a RDG breakdown a
// customer is entitled to. Every figure carries the rule and source it comes from; the app layer
// (app/statement) renders it as text and JSON without computing anything.
#include <optional>
#include <string>
#include <vector>

#include "domain/claim.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/money.h"
#include "domain/party.h"

namespace quitt::domain {

// Interest on one principal at one rate for the days [from, to] (inclusive).
struct InterestLine {
  Date from = Date::FromDaysSinceEpoch(0);
  Date to = Date::FromDaysSinceEpoch(0);
  std::int32_t days = 0;
  std::int32_t year_days = 365;
  std::int32_t rate_bp = 0;
  std::optional<std::int32_t> base_rate_bp;
  std::int32_t margin_bp = 0;
  Money principal = Money::Zero(Currency::Eur());
  Money interest = Money::Zero(Currency::Eur());
  LegalBasis basis;
  LegalBasis rate_source;
  bool provisional = false;
};

struct ClaimStatement {
  ClaimId claim;
  std::string client_ref;
  std::string reason;
  Date invoice_date = Date::FromDaysSinceEpoch(0);
  Date due_date = Date::FromDaysSinceEpoch(0);
  std::optional<Date> default_date;
  DefaultBasis default_basis = DefaultBasis::kStatedByClient;
  Money principal = Money::Zero(Currency::Eur());  // as handed over
  std::vector<InterestLine> interest_lines;
  Money interest = Money::Zero(Currency::Eur());  // sum of the lines
  // Costs of this claim alone: client costs, flat default fee and its credit.
  std::vector<FeeLine> claim_costs;
  // This claim's share of the case's collection costs (split by open principal).
  Money collection_cost_share = Money::Zero(Currency::Eur());
  Money costs = Money::Zero(Currency::Eur());  // claim_costs + collection_cost_share
  Money paid_costs = Money::Zero(Currency::Eur());
  Money paid_interest = Money::Zero(Currency::Eur());
  Money paid_principal = Money::Zero(Currency::Eur());
  Money open_costs = Money::Zero(Currency::Eur());
  Money open_interest = Money::Zero(Currency::Eur());
  Money open_principal = Money::Zero(Currency::Eur());
  Money open_total = Money::Zero(Currency::Eur());
  LimitationInfo limitation;
  std::string interest_note;  // why there is no interest, when there is none
};

struct Statement {
  std::string country;  // "DE"
  Date as_of = Date::FromDaysSinceEpoch(0);
  Currency currency = Currency::Eur();
  CustomerKind customer_kind = CustomerKind::kConsumer;
  DayCount day_count = DayCount::kActual365;
  std::vector<ClaimStatement> claims;
  // Collection costs of the case (fees, expenses, VAT), each line in full.
  std::vector<FeeLine> collection_costs;
  std::vector<PaymentAllocation> payments;
  // Totals. total_principal + total_interest + total_costs − total_paid + total_surplus ==
  // total_due (surplus is money paid beyond what was owed, kept apart, not deducted twice).
  Money total_principal = Money::Zero(Currency::Eur());
  Money total_interest = Money::Zero(Currency::Eur());
  Money total_costs = Money::Zero(Currency::Eur());
  Money total_paid = Money::Zero(Currency::Eur());
  Money total_surplus = Money::Zero(Currency::Eur());
  Money total_due = Money::Zero(Currency::Eur());
  std::vector<std::string> notes;
};

}  // namespace quitt::domain
