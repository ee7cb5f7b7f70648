#pragma once
// Claim: one receivable (an invoice) handed over by a client. Identified by (client,
// client_ref); the amounts are what the client hands over, the ledger adds interest and fees.
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/money.h"

namespace quitt::domain {

// How the default date (§ 286 BGB) arose; decides from when default interest runs.
enum class DefaultBasis {
  kCalendarDate,  // § 286(2) Nr. 1/2: payment date fixed by the calendar; default from the next day
  kReminder,      // § 286(1): a reminder after the due date
  kThirtyDayRule,  // § 286(3): 30 days after due date and receipt of the invoice
  kRefusal,        // § 286(2) Nr. 3: the customer seriously and finally refused to pay
  kStatedByClient  // the client states the date without saying how it arose
};
const char* DefaultBasisName(DefaultBasis basis);
std::optional<DefaultBasis> ParseDefaultBasis(std::string_view text);

// Interest terms of a claim: statutory (§ 288 BGB, chosen by the ledger from the customer kind
// and the claim's nature) or a contractual rate in basis points per year (§ 288(3)).
struct InterestTerms {
  bool statutory = true;
  std::int32_t contractual_rate_bp = 0;  // 1 bp = 0.01 % p.a.; only when !statutory
  // A payment for goods or services (Entgeltforderung, § 286(3), § 288(2), § 288(5)).
  bool remuneration_claim = true;
  // Consumer credit (§ 497 BGB) changes the allocation order and rate.
  bool consumer_credit = false;
};

struct Claim {
  ClaimId id;
  ClientId client;
  CaseId case_id;
  std::string client_ref;  // the client's invoice number; unique per client
  std::string reason;      // what the claim is for, in words the customer recognises
  Date invoice_date = Date::FromDaysSinceEpoch(0);
  Date due_date = Date::FromDaysSinceEpoch(0);
  std::optional<Date> default_date;
  DefaultBasis default_basis = DefaultBasis::kStatedByClient;
  // When the obligation arose (contract date); decides + 8 or + 9 points for old B2B claims.
  std::optional<Date> obligation_date;
  Money principal = Money::Zero(Currency::Eur());
  // Costs the client already incurred (own reminder fees, earlier agency), claimed as damages.
  Money client_costs = Money::Zero(Currency::Eur());
  InterestTerms interest;
};

// Checks the business rules every claim must meet, independent of where it came from; each problem
// names the field: {"due_date", "is before the invoice date 2024-03-01"}.
struct FieldProblem {
  std::string field;
  std::string message;
};
std::vector<FieldProblem> ValidateClaim(const Claim& claim);

}  // namespace quitt::domain
