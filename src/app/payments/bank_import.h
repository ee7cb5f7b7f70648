#pragma once
// `quitt bank import`, `bank review`, `bank assign`: bank statement entries into the store, matched
// to cases and posted. Every entry is stored once under the bank's identifiers (a re-read adds
// nothing) and ends in exactly one state: posted, held (closed case), review or not incoming.
// Money that arrives without a sure case is booked to the suspense account until an agent
// assigns it, so the trust account always balances. One import is one transaction: a failure
// of the store leaves nothing half-written.
#include <optional>
#include <string>
#include <vector>

#include "app/payments/payment_records.h"
#include "app/payments/posting.h"
#include "app/ports.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/payment/bank_statement.h"
#include "domain/payment/matching.h"

namespace quitt::app::payments {

struct BankImportOptions {
  std::string source;  // the file name, stored with each entry
  bool allow_provisional_base_rate = false;
  domain::payment::MatchPolicy policy;
  std::string actor = "system:bank-import";
};

struct BankImportReport {
  std::int64_t read = 0;
  std::int64_t already_known = 0;  // stored by an earlier import: nothing done
  std::int64_t posted = 0;
  std::int64_t held = 0;
  std::int64_t review = 0;
  std::int64_t not_incoming = 0;
  std::int64_t cases_closed = 0;
  std::int64_t overpayments = 0;
  std::int64_t direct_debit_returns =
      0;  // returned direct debits reversed (app/payments/direct_debit.h)
  std::vector<BankEntry> new_entries;  // in file order, with their final state
};

// The bank entry record of a transaction (state not decided yet).
BankEntry EntryFromTransaction(const domain::payment::BankStatement& statement,
                               const domain::payment::BankTransaction& transaction,
                               const std::string& source, domain::Timestamp now);

Result<BankImportReport> ImportBankStatements(
    CaseStore& store, Clock& clock, const domain::Jurisdiction& jurisdiction,
    const std::vector<domain::payment::BankStatement>& statements,
    const BankImportOptions& options);

struct AssignOptions {
  std::string actor = "user:cli";
  bool allow_provisional_base_rate = false;
};

// Posts an entry of the review list to a case (moving its money out of suspense).
Result<BankEntry> AssignBankEntry(CaseStore& store, Clock& clock,
                                  const domain::Jurisdiction& jurisdiction, std::int64_t entry_id,
                                  const std::string& case_number, const AssignOptions& options);

}  // namespace quitt::app::payments
