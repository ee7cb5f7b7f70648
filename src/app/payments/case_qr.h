#pragma once
// The EPC QR ("GiroCode") payload for what a case owes as of a date: the trust account as
// beneficiary, the amount due from the case's statement, and the case's RF reference, so the
// bank transfer matches at confidence 100. Rendering the image is adapters/banking/qr_render.h.
#include <string>

#include "app/payments/remittance.h"
#include "domain/ledger/statement.h"

namespace quitt::app::payments {

struct CaseQr {
  std::string payload;
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  std::string reference;  // printed form, "RF.. ...."
};

// Fails when nothing is due (no QR code for a zero amount) or the currency is not EUR.
Result<CaseQr> BuildCaseQr(const domain::Statement& statement, const std::string& case_number,
                           const PayoutAccount& trust_account);

}  // namespace quitt::app::payments
