#include "app/payments/case_qr.h"

#include "app/payments/case_ledger.h"
#include "domain/payment/epc_qr.h"

namespace quitt::app::payments {

Result<CaseQr> BuildCaseQr(const domain::Statement& statement, const std::string& case_number,
                           const PayoutAccount& trust_account) {
  if (!statement.total_due.is_positive()) {
    return FailedPrecondition("case " + case_number + " owes nothing as of " +
                              statement.as_of.ToString());
  }
  QUITT_ASSIGN_OR_RETURN(auto reference, CaseReference(case_number));
  domain::payment::EpcQrInput input;
  input.bic = trust_account.bic;
  input.beneficiary_name = trust_account.name;
  input.iban = trust_account.iban;
  input.amount = statement.total_due;
  input.reference = reference;
  CaseQr qr;
  QUITT_ASSIGN_OR_RETURN(qr.payload, domain::payment::BuildEpcQrPayload(input));
  qr.amount = statement.total_due;
  qr.reference = reference.Printed();
  return qr;
}

}  // namespace quitt::app::payments
