#include "domain/payment/bank_statement.h"

#include <unordered_set>

namespace quitt::domain::payment {

const char* DirectionName(Direction direction) {
  return direction == Direction::kCredit ? "CRDT" : "DBIT";
}

const char* EntryStatusName(EntryStatus status) {
  switch (status) {
    case EntryStatus::kBooked: return "BOOK";
    case EntryStatus::kPending: return "PDNG";
    case EntryStatus::kInformation: return "INFO";
    case EntryStatus::kOther: return "OTHR";
  }
  return "OTHR";
}

std::string BankTransaction::RemittanceText() const {
  std::string out;
  for (const std::string& line : unstructured) {
    if (!out.empty()) out.push_back(' ');
    out += line;
  }
  return out;
}

std::string MakeTransactionKey(const std::string& account, const BankTransaction& transaction) {
  std::string key = account;
  if (!transaction.account_servicer_reference.empty()) {
    key += "|asr:" + transaction.account_servicer_reference;
  }
  if (!transaction.entry_reference.empty()) key += "|ntry:" + transaction.entry_reference;
  if (transaction.account_servicer_reference.empty() && transaction.entry_reference.empty()) {
    key += "|stmt:" + transaction.statement_id + "#" + std::to_string(transaction.entry_sequence);
  }
  if (transaction.detail_count > 1) key += "|" + std::to_string(transaction.detail_index);
  return key;
}

void DisambiguateKeys(std::vector<BankStatement>& statements) {
  std::unordered_set<std::string> seen;
  for (BankStatement& statement : statements) {
    for (BankTransaction& transaction : statement.transactions) {
      if (seen.insert(transaction.key).second) continue;
      transaction.key +=
          "|seq:" + transaction.statement_id + "#" + std::to_string(transaction.entry_sequence);
      if (transaction.detail_count > 1)
        transaction.key += "." + std::to_string(transaction.detail_index);
      seen.insert(transaction.key);
    }
  }
}

}  // namespace quitt::domain::payment
