#pragma once
// MatchIndex: the CaseFinder of domain/payment/matching.h over every case of the store, held in
// memory (hash maps by RF reference, case number, customer IBAN and normalized customer name), so
// matching a statement costs no query per entry. Built from CaseStore::LoadMatchIndex() and kept
// current by the importer after each posting (open balance, closed).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/payments/payment_records.h"
#include "domain/payment/matching.h"

namespace quitt::app::payments {

class MatchIndex final : public domain::payment::CaseFinder {
 public:
  explicit MatchIndex(std::vector<MatchIndexRow> rows);

  const MatchIndexRow* Find(std::int64_t case_id) const;
  // The case's state after a posting.
  void Update(std::int64_t case_id, const domain::Money& open_balance, bool closed);
  std::size_t size() const { return rows_.size(); }

  std::vector<domain::payment::CaseCandidate> FindCaseByReference(
      const domain::CreditorReference& reference) const override;
  std::vector<domain::payment::CaseCandidate> FindCaseByNumber(
      const domain::CaseNumber& number) const override;
  // quitt's own end-to-end ids (direct debits, payment links) carry the case number.
  std::vector<domain::payment::CaseCandidate> FindCaseByEndToEndId(
      std::string_view end_to_end_id) const override;
  std::vector<domain::payment::CaseCandidate> FindCasesByIban(
      const domain::Iban& iban) const override;
  std::vector<domain::payment::CaseCandidate> FindCasesByNameAndAmount(
      std::string_view normalized_name, const domain::Money& amount) const override;

 private:
  domain::payment::CaseCandidate Candidate(std::size_t index) const;
  std::vector<domain::payment::CaseCandidate> One(
      const std::unordered_map<std::int64_t, std::size_t>& map, std::int64_t key) const;

  std::vector<MatchIndexRow> rows_;
  std::unordered_map<std::int64_t, std::size_t> by_case_id_;
  std::unordered_map<std::int64_t, std::size_t> by_number_;  // case number sequence → row
  std::unordered_map<std::string, std::size_t> by_reference_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_iban_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;
};

}  // namespace quitt::app::payments
