#pragma once
// The ledger fold: claims + payments + fee events + an as-of date → Statement. Pure: the same
// input always gives the same statement, to the cent.
//
// Order of the fold: events are taken by date; on one day fee events come before payments, and
// both keep their input order. For each payment the interest of every claim is accrued up to and
// including the payment day, then the jurisdiction allocates the payment; where principal was
// paid the running interest line ends on the payment day and a new one starts the next day.
// Events after the as-of date are left out (and named in the notes).
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/claim.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/ledger/statement.h"
#include "domain/party.h"

namespace quitt::domain {

// A claim with what the ledger needs beyond the Claim record.
struct LedgerClaim {
  Claim claim;
  int security_rank = 0;          // § 366(2) BGB: higher = better secured
  std::optional<Date> titled;     // final judgment / enforcement order
  std::optional<Date> knowledge;  // § 199(1) Nr. 2 BGB; default: the due date
  std::int32_t limitation_suspended_days = 0;
};

struct LedgerPayment {
  std::string ref;  // e.g. the bank transaction id; copied into the allocation
  Date date = Date::FromDaysSinceEpoch(0);  // the day it was credited to the account
  Money amount = Money::Zero(Currency::Eur());
  std::vector<ClaimId> customer_designation;  // § 366(1) BGB, from the remittance text
};

struct LedgerInput {
  std::vector<LedgerClaim> claims;  // all in one currency
  CustomerKind customer_kind = CustomerKind::kConsumer;
  std::vector<LedgerPayment> payments;
  std::vector<FeeEvent> fees;
  Date as_of = Date::FromDaysSinceEpoch(0);
  InterestOptions interest;
  bool client_can_deduct_vat = true;
  std::vector<ClaimId> agreed_order;  // claim order agreed with the client, after a designation
};

// Fails with a message naming the claim, payment or fee when the input is inconsistent (mixed
// currencies, non-positive payment, unknown claim id, missing base rate ...).
Result<Statement> BuildStatement(const Jurisdiction& jurisdiction, const LedgerInput& input);

}  // namespace quitt::domain
