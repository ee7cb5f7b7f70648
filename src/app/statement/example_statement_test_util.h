#pragma once
// The statement both rendering tests use: the golden scenario "b2b-367-costs-interest-principal"
// of tests/golden/ledger/scenarios.txt (figures checked by hand there), with readable names.
#include "common/check.h"
#include "domain/jurisdiction/de/germany.h"
#include "domain/ledger/ledger.h"

namespace quitt::app::testing_example {

using namespace quitt::domain;  // NOLINT(build/namespaces): test brevity

inline Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
inline Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

inline Statement Example() {
  LedgerInput in;
  in.customer_kind = CustomerKind::kBusiness;
  in.as_of = D(2024, 3, 31);
  LedgerClaim lc;
  lc.claim.id = ClaimId(7);
  lc.claim.client_ref = "RE-2024-0042";
  lc.claim.reason = "Delivery of 40 office chairs";
  lc.claim.invoice_date = D(2024, 1, 2);
  lc.claim.due_date = D(2024, 1, 31);
  lc.claim.default_date = D(2024, 2, 1);
  lc.claim.default_basis = DefaultBasis::kCalendarDate;
  lc.claim.principal = Eur(100000);
  in.claims.push_back(lc);
  FeeEvent fee;
  fee.ref = "F1";
  fee.date = D(2024, 2, 15);
  in.fees.push_back(fee);
  LedgerPayment pay;
  pay.ref = "BANK-1";
  pay.date = D(2024, 3, 1);
  pay.amount = Eur(15000);
  in.payments.push_back(pay);
  de::Germany germany;
  auto s = BuildStatement(germany, in);
  QUITT_CHECK(s.ok());
  return *s;
}

}  // namespace quitt::app::testing_example
