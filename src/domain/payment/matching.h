#pragma once
// Matching an incoming bank transaction to a case: pure rules, fed by a CaseFinder the caller
// implements over its store (an index of RF references, case numbers, end-to-end ids, customer
// IBANs and names). In order of confidence (issue 5):
//
//   100  RF creditor reference (ISO 11649) in the structured remittance field
//    95  RF reference or quitt case number (check digit verified) in the remittance text
//    90  end-to-end id of a payment quitt initiated (direct debit, payment link)
//    75  the customer's IBAN (70 when the IBAN has several cases and the amount picks one)
//    60  customer name plus exact open amount
//
// The identifiers are all looked at, not only the first: two that point to different cases are
// a conflict and go to review. A rule that finds several cases is ambiguous and goes to review
// with the candidates. Nothing is dropped: every transaction ends as matched, review, or
// not-incoming (debits and unbooked entries, which the caller still stores).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/case_number.h"
#include "domain/creditor_reference.h"
#include "domain/iban.h"
#include "domain/money.h"
#include "domain/payment/bank_statement.h"

namespace quitt::domain::payment {

struct CaseCandidate {
  std::int64_t case_id = 0;
  Money open_balance = Money::Zero(Currency::Eur());  // what the customer still owes
  bool closed = false;

  friend bool operator==(const CaseCandidate&, const CaseCandidate&) = default;
};

// Lookups the matcher needs; each returns every case that fits (empty when none). Implemented by
// the storage adapter with indexed queries, by tests and the benchmark with maps.
class CaseFinder {
 public:
  virtual ~CaseFinder() = default;
  virtual std::vector<CaseCandidate> FindCaseByReference(
      const CreditorReference& reference) const = 0;
  virtual std::vector<CaseCandidate> FindCaseByNumber(const CaseNumber& number) const = 0;
  virtual std::vector<CaseCandidate> FindCaseByEndToEndId(std::string_view end_to_end_id) const = 0;
  virtual std::vector<CaseCandidate> FindCasesByIban(const Iban& iban) const = 0;
  // `normalized_name` is NormalizeName() of the payer's name; the finder compares it with the
  // normalized names of its customers and returns open cases whose open balance equals `amount`.
  virtual std::vector<CaseCandidate> FindCasesByNameAndAmount(std::string_view normalized_name,
                                                              const Money& amount) const = 0;
};

enum class MatchReason {
  kCreditorReference,  // structured RF reference
  kReferenceInText,    // RF reference found in the free text
  kCaseNumber,         // Q-00012345-6 in the free text
  kEndToEndId,
  kCustomerIban,
  kNameAndAmount,
  kNone,
};
const char* MatchReasonName(MatchReason reason);

enum class MatchDecision {
  kMatched,      // post it to `case_id`
  kReview,       // an agent decides; `candidates` holds what the rules found
  kNotIncoming,  // a debit (our own payout) or not booked yet: stored, not matched
};
const char* MatchDecisionName(MatchDecision decision);

struct MatchResult {
  MatchDecision decision = MatchDecision::kReview;
  MatchReason reason = MatchReason::kNone;
  int confidence = 0;  // 0..100
  std::optional<std::int64_t> case_id;
  std::vector<CaseCandidate> candidates;
  // For a match: hold the payment (or its excess) for refund instead of allocating it blindly.
  bool case_closed = false;
  bool overpayment = false;  // amount exceeds the case's open balance
  std::string explanation;   // one line for the review list and the case history
};

struct MatchPolicy {
  // Below this, a unique candidate is only proposed (review), not posted.
  int auto_match_min_confidence = 60;
};

MatchResult MatchTransaction(const BankTransaction& transaction, const CaseFinder& finder,
                             const MatchPolicy& policy = {});

// Every valid ISO 11649 reference in free text, in order of appearance; accepts the print form
// with spaces ("RF18 5390 0754 7034") and any letter case.
std::vector<CreditorReference> FindCreditorReferencesIn(std::string_view text);

// Lower-case ASCII words in sorted order, German umlauts and ß spelled out (ä → ae),
// punctuation dropped: "Müller, Hans-Peter" and "HANS PETER MUELLER" both give
// "hans mueller peter".
std::string NormalizeName(std::string_view name);

}  // namespace quitt::domain::payment
