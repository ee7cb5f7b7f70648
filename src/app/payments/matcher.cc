#include "app/payments/matcher.h"

#include "app/payments/case_ledger.h"
#include "domain/case_number.h"

namespace quitt::app::payments {

using domain::payment::CaseCandidate;

MatchIndex::MatchIndex(std::vector<MatchIndexRow> rows) : rows_(std::move(rows)) {
  by_case_id_.reserve(rows_.size());
  by_number_.reserve(rows_.size());
  by_reference_.reserve(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const MatchIndexRow& row = rows_[i];
    by_case_id_[row.case_id.value()] = i;
    if (auto number = domain::CaseNumber::Parse(row.case_number); number.ok()) {
      by_number_[number->sequence()] = i;
    }
    if (auto reference = CaseReference(row.case_number); reference.ok()) {
      by_reference_[reference->electronic()] = i;
    }
    if (!row.customer_iban.empty()) by_iban_[row.customer_iban].push_back(i);
    std::string name = domain::payment::NormalizeName(row.customer_name);
    if (!name.empty()) by_name_[name].push_back(i);
  }
}

const MatchIndexRow* MatchIndex::Find(std::int64_t case_id) const {
  auto it = by_case_id_.find(case_id);
  return it == by_case_id_.end() ? nullptr : &rows_[it->second];
}

void MatchIndex::Update(std::int64_t case_id, const domain::Money& open_balance, bool closed) {
  auto it = by_case_id_.find(case_id);
  if (it == by_case_id_.end()) return;
  rows_[it->second].open_balance = open_balance;
  rows_[it->second].closed = closed;
}

CaseCandidate MatchIndex::Candidate(std::size_t index) const {
  const MatchIndexRow& row = rows_[index];
  return CaseCandidate{row.case_id.value(), row.open_balance, row.closed};
}

std::vector<CaseCandidate> MatchIndex::One(const std::unordered_map<std::int64_t, std::size_t>& map,
                                           std::int64_t key) const {
  auto it = map.find(key);
  if (it == map.end()) return {};
  return {Candidate(it->second)};
}

std::vector<CaseCandidate> MatchIndex::FindCaseByReference(
    const domain::CreditorReference& reference) const {
  auto it = by_reference_.find(reference.electronic());
  if (it == by_reference_.end()) return {};
  return {Candidate(it->second)};
}

std::vector<CaseCandidate> MatchIndex::FindCaseByNumber(const domain::CaseNumber& number) const {
  return One(by_number_, number.sequence());
}

std::vector<CaseCandidate> MatchIndex::FindCaseByEndToEndId(std::string_view end_to_end_id) const {
  auto number = domain::CaseNumber::FindIn(end_to_end_id);
  if (!number) return {};
  return One(by_number_, number->sequence());
}

std::vector<CaseCandidate> MatchIndex::FindCasesByIban(const domain::Iban& iban) const {
  std::vector<CaseCandidate> found;
  auto it = by_iban_.find(iban.electronic());
  if (it == by_iban_.end()) return found;
  for (std::size_t index : it->second) found.push_back(Candidate(index));
  return found;
}

std::vector<CaseCandidate> MatchIndex::FindCasesByNameAndAmount(std::string_view normalized_name,
                                                                const domain::Money& amount) const {
  std::vector<CaseCandidate> found;
  auto it = by_name_.find(std::string(normalized_name));
  if (it == by_name_.end()) return found;
  for (std::size_t index : it->second) {
    const MatchIndexRow& row = rows_[index];
    if (!row.closed && row.open_balance == amount) found.push_back(Candidate(index));
  }
  return found;
}

}  // namespace quitt::app::payments
