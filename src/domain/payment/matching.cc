#include "domain/payment/matching.h"

#include <algorithm>

#include "common/text.h"

namespace quitt::domain::payment {
namespace {

struct RuleHit {
  MatchReason reason;
  int confidence;
  std::vector<CaseCandidate> candidates;
  std::string what;  // the identifier that was looked up, for the explanation
};

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string Describe(const RuleHit& hit) {
  return std::string(MatchReasonName(hit.reason)) + " " + hit.what;
}

MatchResult Matched(const RuleHit& hit, const BankTransaction& transaction,
                    const MatchPolicy& policy) {
  MatchResult result;
  result.reason = hit.reason;
  result.confidence = hit.confidence;
  result.candidates = hit.candidates;
  const CaseCandidate& found = hit.candidates.front();
  result.case_id = found.case_id;
  result.case_closed = found.closed;
  result.overpayment = found.open_balance.currency() == transaction.amount.currency() &&
                       transaction.amount > found.open_balance;
  if (hit.confidence >= policy.auto_match_min_confidence) {
    result.decision = MatchDecision::kMatched;
    result.explanation = Describe(hit) + " -> case " + std::to_string(found.case_id);
  } else {
    result.decision = MatchDecision::kReview;
    result.explanation = "proposal below the confidence threshold: " + Describe(hit) + " -> case " +
                         std::to_string(found.case_id);
  }
  if (result.case_closed) result.explanation += " (case closed: hold for refund)";
  if (result.overpayment) result.explanation += " (overpayment: hold the excess for refund)";
  return result;
}

MatchResult Review(MatchReason reason, int confidence, std::vector<CaseCandidate> candidates,
                   std::string explanation) {
  MatchResult result;
  result.decision = MatchDecision::kReview;
  result.reason = reason;
  result.confidence = confidence;
  result.candidates = std::move(candidates);
  result.explanation = std::move(explanation);
  return result;
}

}  // namespace

const char* MatchReasonName(MatchReason reason) {
  switch (reason) {
    case MatchReason::kCreditorReference: return "creditor reference";
    case MatchReason::kReferenceInText: return "creditor reference in text";
    case MatchReason::kCaseNumber: return "case number";
    case MatchReason::kEndToEndId: return "end-to-end id";
    case MatchReason::kCustomerIban: return "customer IBAN";
    case MatchReason::kNameAndAmount: return "name and amount";
    case MatchReason::kNone: return "none";
  }
  return "none";
}

const char* MatchDecisionName(MatchDecision decision) {
  switch (decision) {
    case MatchDecision::kMatched: return "matched";
    case MatchDecision::kReview: return "review";
    case MatchDecision::kNotIncoming: return "not incoming";
  }
  return "review";
}

std::vector<CreditorReference> FindCreditorReferencesIn(std::string_view text) {
  std::vector<CreditorReference> found;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if ((text[i] != 'R' && text[i] != 'r') || (text[i + 1] != 'F' && text[i + 1] != 'f')) continue;
    if (i > 0 && IsAlnum(text[i - 1])) continue;  // "PERF12..." is not a reference
    // Up to 25 letters/digits, single spaces allowed between the groups of the print form.
    std::string compact;
    std::size_t j = i;
    while (j < text.size() && compact.size() < 25) {
      if (IsAlnum(text[j])) {
        compact.push_back(text[j]);
      } else if (!(text[j] == ' ' && j + 1 < text.size() && IsAlnum(text[j + 1]))) {
        break;
      }
      ++j;
    }
    // The longest prefix that checks out wins; the check digits make a false hit unlikely.
    for (std::size_t length = compact.size(); length >= 5; --length) {
      auto reference = CreditorReference::Parse(std::string_view(compact).substr(0, length));
      if (reference.ok()) {
        found.push_back(*reference);
        i += 1;
        break;
      }
    }
  }
  return found;
}

std::string NormalizeName(std::string_view name) {
  std::string folded;
  folded.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[i + 1]);
      ++i;
      switch (next) {
        case 0xA4:
        case 0x84: folded += "ae"; continue;  // ä Ä
        case 0xB6:
        case 0x96: folded += "oe"; continue;  // ö Ö
        case 0xBC:
        case 0x9C: folded += "ue"; continue;  // ü Ü
        case 0x9F: folded += "ss"; continue;  // ß
        case 0xA9:
        case 0xA8:
        case 0x89:
        case 0x88: folded += "e"; continue;  // é è É È
        case 0xA1:
        case 0xA0:
        case 0x81:
        case 0x80: folded += "a"; continue;  // á à Á À
        case 0xA7:
        case 0x87: folded += "c"; continue;  // ç Ç
        default: folded.push_back(' '); continue;
      }
    }
    if (c >= 'A' && c <= 'Z') {
      folded.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      folded.push_back(static_cast<char>(c));
    } else {
      folded.push_back(' ');  // punctuation, spaces, other bytes separate words
    }
  }
  std::vector<std::string_view> words;
  for (std::string_view word : Split(folded, ' ')) {
    if (!word.empty()) words.push_back(word);
  }
  std::sort(words.begin(), words.end());
  std::string out;
  for (std::string_view word : words) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

MatchResult MatchTransaction(const BankTransaction& transaction, const CaseFinder& finder,
                             const MatchPolicy& policy) {
  if (transaction.status != EntryStatus::kBooked) {
    MatchResult result;
    result.decision = MatchDecision::kNotIncoming;
    result.explanation = std::string("entry status ") + EntryStatusName(transaction.status) +
                         ": not booked, nothing to post";
    return result;
  }
  if (transaction.reversal) {
    return Review(MatchReason::kNone, 0, {},
                  transaction.direction == Direction::kDebit
                      ? "reversal of an incoming payment (returned or recalled)"
                      : "reversal of an outgoing payment (a remittance or refund came back)");
  }
  if (transaction.direction == Direction::kDebit) {
    MatchResult result;
    result.decision = MatchDecision::kNotIncoming;
    result.explanation = "debit: an outgoing payment, reconciled by the ledger";
    return result;
  }

  // Strong identifiers, strongest first. Every one is looked up so conflicts surface.
  const std::string text = transaction.RemittanceText();
  std::vector<RuleHit> hits;
  auto look = [&](MatchReason reason, int confidence, std::vector<CaseCandidate> candidates,
                  std::string what) {
    if (!candidates.empty())
      hits.push_back({reason, confidence, std::move(candidates), std::move(what)});
  };
  if (!transaction.creditor_reference.empty()) {
    auto reference = CreditorReference::Parse(transaction.creditor_reference);
    if (reference.ok()) {
      look(MatchReason::kCreditorReference, 100, finder.FindCaseByReference(*reference),
           reference->electronic());
    } else if (auto number = CaseNumber::Parse(transaction.creditor_reference); number.ok()) {
      look(MatchReason::kCaseNumber, 95, finder.FindCaseByNumber(*number), number->ToString());
    }
  }
  for (const CreditorReference& reference : FindCreditorReferencesIn(text)) {
    look(MatchReason::kReferenceInText, 95, finder.FindCaseByReference(reference),
         reference.electronic());
  }
  if (auto number = CaseNumber::FindIn(text)) {
    look(MatchReason::kCaseNumber, 95, finder.FindCaseByNumber(*number), number->ToString());
  }
  if (!transaction.end_to_end_id.empty()) {
    look(MatchReason::kEndToEndId, 90, finder.FindCaseByEndToEndId(transaction.end_to_end_id),
         transaction.end_to_end_id);
  }

  if (!hits.empty()) {
    std::vector<CaseCandidate> all;
    for (const RuleHit& hit : hits) {
      for (const CaseCandidate& candidate : hit.candidates) {
        if (std::none_of(all.begin(), all.end(),
                         [&](const CaseCandidate& c) { return c.case_id == candidate.case_id; })) {
          all.push_back(candidate);
        }
      }
    }
    if (all.size() == 1) return Matched(hits.front(), transaction, policy);
    std::string explanation = "identifiers point to " + std::to_string(all.size()) + " cases:";
    for (const RuleHit& hit : hits) {
      explanation += " " + Describe(hit) + " ->";
      for (const CaseCandidate& c : hit.candidates) explanation += " " + std::to_string(c.case_id);
      explanation += ";";
    }
    return Review(hits.front().reason, hits.front().confidence, std::move(all), explanation);
  }

  // Weaker evidence: who paid.
  if (!transaction.counterparty_iban.empty()) {
    if (auto iban = Iban::Parse(transaction.counterparty_iban); iban.ok()) {
      std::vector<CaseCandidate> cases = finder.FindCasesByIban(*iban);
      if (cases.size() == 1) {
        return Matched({MatchReason::kCustomerIban, 75, cases, iban->electronic()}, transaction,
                       policy);
      }
      if (cases.size() > 1) {
        std::vector<CaseCandidate> exact;
        for (const CaseCandidate& c : cases) {
          if (!c.closed && c.open_balance == transaction.amount) exact.push_back(c);
        }
        if (exact.size() == 1) {
          return Matched(
              {MatchReason::kCustomerIban, 70, exact,
               iban->electronic() + " and amount " + transaction.amount.ToDecimalString()},
              transaction, policy);
        }
        const std::size_t count = cases.size();
        return Review(MatchReason::kCustomerIban, 50, std::move(cases),
                      "customer IBAN " + iban->electronic() + " has " + std::to_string(count) +
                          " cases and the amount picks none");
      }
    }
  }
  const std::string name = NormalizeName(transaction.counterparty_name);
  if (!name.empty()) {
    std::vector<CaseCandidate> cases = finder.FindCasesByNameAndAmount(name, transaction.amount);
    if (cases.size() == 1) {
      return Matched(
          {MatchReason::kNameAndAmount, 60, cases,
           "'" + transaction.counterparty_name + "' " + transaction.amount.ToDecimalString()},
          transaction, policy);
    }
    if (cases.size() > 1) {
      const std::size_t count = cases.size();
      return Review(MatchReason::kNameAndAmount, 30, std::move(cases),
                    "name '" + transaction.counterparty_name + "' and amount fit " +
                        std::to_string(count) + " cases");
    }
  }
  return Review(MatchReason::kNone, 0, {}, "no case found for this payment");
}

}  // namespace quitt::domain::payment
