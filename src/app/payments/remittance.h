#pragma once
// `quitt remit --as-of DATE`: pays collected money out of the trust account. Per client whose
// rhythm is due: every unremitted payment split up to the date, one statement (each case, each
// payment, how it was split between client, agency commission and collection costs) and one
// credit transfer of the client's total; the agency's commission and costs of those payments are
// withdrawn to its operating account when one is given; money held for refund is paid back to
// payers with a known IBAN. All transfers of a run go into one SEPA file, written by the caller
// (adapters/banking BuildPain001) before anything is committed: if the file cannot be built,
// nothing is marked remitted. A split is marked with its remittance once (the store refuses a
// second time), so a payment is never remitted twice.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/payments/payment_records.h"
#include "app/ports.h"

namespace quitt::app::payments {

struct PayoutAccount {
  std::string name;
  std::string iban;
  std::string bic;  // optional
};

struct PayoutTransfer {
  std::string end_to_end_id;
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  PayoutAccount payee;
  std::string remittance_text;  // <= 140 characters
};

// Everything one pain.001 needs (converted to adapters::banking::CreditTransferBatch).
struct PayoutFile {
  std::string message_id;
  domain::Timestamp created_at = domain::Timestamp::FromUnixMicros(0);
  domain::Date execution_date = domain::Date::FromDaysSinceEpoch(0);
  std::string initiating_party;
  PayoutAccount trust_account;
  std::vector<PayoutTransfer> transfers;
};

struct ClientRemittance {
  domain::Client client;
  Remittance remittance;
  std::vector<PaymentSplit> splits;
  std::string csv;  // the remittance statement
};

struct RemitOptions {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  std::string agency_name = "quitt Inkasso";
  PayoutAccount trust_account;
  std::optional<PayoutAccount> operating_account;  // fee withdrawals go here when set
  bool pay_refunds = true;
  bool ignore_rhythm = false;  // remit every client with money, whatever its rhythm
};

struct RemitReport {
  std::vector<ClientRemittance> clients;
  std::vector<RefundHold> refunds;
  std::vector<std::string> skipped;  // clients with money that were not remitted, and why
  std::optional<PayoutFile> file;    // absent when there was nothing to pay
};

// `write_file` receives the payout file before the commit; an error from it rolls back.
Result<RemitReport> Remit(CaseStore& store, Clock& clock, const RemitOptions& options,
                          const std::function<Status(const PayoutFile&)>& write_file);

// The remittance statement of one client as CSV (header + one line per payment + total).
std::string RemittanceCsv(const domain::Client& client, const std::vector<PaymentSplit>& splits,
                          domain::Date as_of);

// Whether the client's rhythm makes it due on `as_of`, given its last remittance.
bool RemittanceDue(RemittanceRhythm rhythm, const std::optional<domain::Date>& last,
                   domain::Date as_of);

}  // namespace quitt::app::payments
