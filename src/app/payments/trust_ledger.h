#pragma once
// The agency's books for the trust account (Treuhandkonto): a double-entry journal in which every
// receipt, assignment, hold, remittance, fee withdrawal and refund is one balanced entry. The
// accounts (payment_records.h):
//
//   trust_bank       asset      the money on the trust account
//   client_payable   liability  collected for a client, not yet remitted (per client)
//   agency_fees      liability  the agency's earned commission and collection costs, still on
//                               the trust account (per client they came from)
//   refunds_payable  liability  held for refund to a payer (overpayment, closed case)
//   suspense         liability  received, not yet assigned to a case (the review list)
//
// CheckLedger proves the invariants `quitt ledger check` reports: every entry balances, total
// debits equal total credits, and the trust account's balance equals what is owed to clients
// plus the agency's fees not yet withdrawn (plus refunds held and unassigned receipts); each of
// those balances also equals the detail records it summarises (unremitted splits, open refund
// holds, entries on the review list), and none is negative.
#include <string>
#include <vector>

#include "app/payments/payment_records.h"
#include "app/ports.h"

namespace quitt::app::payments {

struct LedgerBalances {
  std::string currency = "EUR";
  std::int64_t trust_bank = 0;      // debit balance
  std::int64_t client_payable = 0;  // credit balances from here on
  std::int64_t agency_fees = 0;
  std::int64_t refunds_payable = 0;
  std::int64_t suspense = 0;
};

struct LedgerCheckReport {
  std::int64_t entries = 0;
  std::int64_t lines = 0;
  std::int64_t total_debits = 0;
  std::int64_t total_credits = 0;
  std::vector<LedgerBalances> balances;  // one per currency
  std::vector<std::string> problems;     // empty: the books hold
  bool ok() const { return problems.empty(); }
};

Result<LedgerCheckReport> CheckLedger(CaseStore& store);

// "1.234,56"-free plain decimal of minor units: "1234.56", "-0.05".
std::string MinorToDecimal(std::int64_t minor);

}  // namespace quitt::app::payments
