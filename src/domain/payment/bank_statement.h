#pragma once
// BankStatement and BankTransaction: what a bank told us about money on one of the agency's
// accounts, independent of the file format it came in (camt.053, camt.054, MT940). The readers in
// adapters/banking fill these; matching (domain/payment/matching.h) and the ledger consume them.
//
// One BankTransaction is one payment as far as matching is concerned: a batch booking with
// several transaction details becomes several transactions that share the booking's identifiers
// and differ in `detail_index`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/money.h"

namespace quitt::domain::payment {

enum class Direction { kCredit, kDebit };  // credit = money in (CRDT), debit = money out (DBIT)

enum class EntryStatus { kBooked, kPending, kInformation, kOther };

const char* DirectionName(Direction direction);   // "CRDT" / "DBIT"
const char* EntryStatusName(EntryStatus status);  // "BOOK" / "PDNG" / "INFO" / "OTHR"

struct BankTransaction {
  // Stable across re-reads of the same statement and, where the bank gives an account servicer
  // reference, across camt.054 and camt.053 reporting the same booking: the storage layer keys
  // on it so importing a file twice adds nothing. Built by MakeTransactionKey.
  std::string key;

  // The bank's identifiers.
  std::string account_servicer_reference;     // Ntry/AcctSvcrRef (MT940: bank reference after //)
  std::string entry_reference;                // Ntry/NtryRef (MT940: customer reference)
  std::string tx_account_servicer_reference;  // TxDtls/Refs/AcctSvcrRef
  std::string statement_id;                   // Stmt/Id or Ntfctn/Id (MT940: :20: + :28C:)
  int entry_sequence = 0;                     // 1-based position of the entry in its statement
  int detail_index = 0;                       // 0-based position of the detail in its entry
  int detail_count = 1;                       // how many transactions the entry was split into

  std::optional<Date> booking_date;
  std::optional<Date> value_date;
  Money amount = Money::Zero(Currency::Eur());  // always positive; see direction
  Direction direction = Direction::kCredit;
  bool reversal = false;  // RvslInd / MT940 "RC"/"RD": a returned booking
  EntryStatus status = EntryStatus::kBooked;
  std::string bank_transaction_code;  // camt Domn/Fmly/SubFmly or Prtry; MT940 GVC

  // The other side: the payer for credits, the payee for debits.
  std::string counterparty_name;
  std::string counterparty_iban;  // as given (IBAN or other account id), upper case, no spaces
  std::string counterparty_bic;
  std::string ultimate_party_name;  // UltmtDbtr / UltmtCdtr: paid on behalf of

  std::string end_to_end_id;  // empty for "NOTPROVIDED"
  std::string mandate_id;
  std::string creditor_reference;         // structured remittance: Strd/CdtrRefInf/Ref
  std::string creditor_reference_type;    // "SCOR", "QRR", ...
  std::vector<std::string> unstructured;  // RmtInf/Ustrd lines in order
  std::string additional_info;            // AddtlNtryInf / AddtlTxInf: the bank's posting text
  std::string return_reason;              // RtrInf/Rsn/Cd

  // The unstructured lines joined by a single space (what a person would read).
  std::string RemittanceText() const;
};

struct BankStatement {
  std::string format;  // "camt.053.001.08", "camt.054.001.02", "MT940"
  std::string message_id;
  std::string statement_id;
  std::string account_iban;  // Acct/Id/IBAN (or Othr/Id when no IBAN), no spaces
  std::string account_currency;
  std::optional<Money> opening_balance;  // signed: negative when the balance is a debit
  std::optional<Money> closing_balance;
  std::optional<Date> closing_date;
  std::vector<BankTransaction> transactions;
};

// "<account>|asr:<ref>|ntry:<ref>[|<detail>]": the account servicer reference and the entry
// reference the bank gave (PostFinance repeats one AcctSvcrRef on two entries that differ only in
// NtryRef, so both count), else statement id + entry sequence. The detail index is appended only
// for batch entries. Readers make keys that still collide inside one file unique with
// DisambiguateKeys.
std::string MakeTransactionKey(const std::string& account, const BankTransaction& transaction);

// Appends "|seq:<statement id>#<entry sequence>" to the second and later transactions of
// `statements` whose key repeats an earlier one; deterministic, so re-reading the file gives the
// same keys.
void DisambiguateKeys(std::vector<BankStatement>& statements);

}  // namespace quitt::domain::payment
