#include "app/payments/bank_import.h"

#include <unordered_map>

#include "app/payments/direct_debit.h"
#include "app/payments/matcher.h"

namespace quitt::app::payments {

using domain::payment::BankTransaction;
using domain::payment::MatchDecision;

namespace {

IncomingPayment PaymentOf(const BankEntry& entry) {
  IncomingPayment payment;
  payment.payment_ref = entry.entry_key;
  payment.booked_on = entry.booking_date;
  payment.amount = entry.amount;
  payment.payer_name = entry.counterparty_name;
  payment.payer_iban = entry.counterparty_iban;
  payment.remittance = entry.remittance;
  payment.match_reason = entry.match_reason;
  payment.confidence = entry.confidence;
  return payment;
}

std::string CandidateNumbers(const MatchIndex& index,
                             const std::vector<domain::payment::CaseCandidate>& candidates) {
  std::string text;
  for (const auto& candidate : candidates) {
    const MatchIndexRow* row = index.Find(candidate.case_id);
    if (!text.empty()) text += ",";
    text += row != nullptr ? row->case_number : std::to_string(candidate.case_id);
  }
  return text;
}

bool IsMoneyIn(const BankEntry& entry) { return entry.credit && !entry.reversal; }

// Sends an entry to the review list; money that came in waits on the suspense account.
Status ToReview(CaseStore& store, BankEntry& entry, const std::string& why, bool inserted) {
  entry.state = BankEntryState::kReview;
  if (!why.empty()) entry.explanation = why;
  if (inserted) QUITT_RETURN_IF_ERROR(store.UpdateBankEntry(entry));
  if (IsMoneyIn(entry)) {
    JournalEntry receipt = SuspenseReceipt(entry.entry_key, entry.booking_date, entry.amount);
    QUITT_RETURN_IF_ERROR(store.AddJournalEntry(receipt));
  }
  return OkStatus();
}

}  // namespace

BankEntry EntryFromTransaction(const domain::payment::BankStatement& statement,
                               const BankTransaction& t, const std::string& source,
                               domain::Timestamp now) {
  BankEntry entry;
  entry.entry_key = t.key;
  entry.account_iban = statement.account_iban;
  entry.statement_id = t.statement_id.empty() ? statement.statement_id : t.statement_id;
  entry.format = statement.format;
  entry.source = source;
  entry.booking_date = t.booking_date.value_or(
      t.value_date.value_or(statement.closing_date.value_or(domain::Date::FromDaysSinceEpoch(0))));
  entry.amount = t.amount;
  entry.credit = t.direction == domain::payment::Direction::kCredit;
  entry.reversal = t.reversal;
  entry.counterparty_name = t.counterparty_name;
  entry.counterparty_iban = t.counterparty_iban;
  entry.end_to_end_id = t.end_to_end_id;
  entry.creditor_reference = t.creditor_reference;
  entry.remittance = t.RemittanceText();
  entry.imported_at = now;
  return entry;
}

Result<BankImportReport> ImportBankStatements(
    CaseStore& store, Clock& clock, const domain::Jurisdiction& jurisdiction,
    const std::vector<domain::payment::BankStatement>& statements,
    const BankImportOptions& options) {
  BankImportReport report;
  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  QUITT_ASSIGN_OR_RETURN(auto rows, store.LoadMatchIndex());
  MatchIndex index(std::move(rows));
  const domain::Timestamp now = clock.Now();
  // The import holds the write transaction, so a client's terms cannot change under it: they are
  // read once per client, not once per payment.
  std::unordered_map<std::int64_t, ClientTerms> terms_of_client;
  auto terms_for = [&](domain::ClientId client) -> Result<const ClientTerms*> {
    auto found = terms_of_client.find(client.value());
    if (found == terms_of_client.end()) {
      QUITT_ASSIGN_OR_RETURN(auto stored, store.FindClientTerms(client));
      found = terms_of_client.emplace(client.value(), TermsOrDefault(stored, client)).first;
    }
    return &found->second;
  };
  for (const auto& statement : statements) {
    for (const BankTransaction& t : statement.transactions) {
      ++report.read;
      BankEntry entry = EntryFromTransaction(statement, t, options.source, now);
      // A returned direct debit of ours goes back to its collection (end-to-end id) and reverses
      // the payment that settled it; anything else about it is for an agent.
      if (LooksLikeDirectDebitReturn(t)) {
        auto candidates = index.FindCaseByEndToEndId(t.end_to_end_id);
        const MatchIndexRow* owner =
            candidates.size() == 1 ? index.Find(candidates[0].case_id) : nullptr;
        if (owner != nullptr) {
          entry.client = owner->client;
          entry.case_id = owner->case_id;
          entry.case_number = owner->case_number;
          entry.match_reason = "direct debit return";
          entry.confidence = 90;
          entry.state = BankEntryState::kPosted;
          QUITT_ASSIGN_OR_RETURN(bool inserted, store.InsertBankEntry(entry));
          if (!inserted) {
            ++report.already_known;
            continue;
          }
          QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, owner->case_number));
          QUITT_ASSIGN_OR_RETURN(
              ReturnOutcome outcome,
              PostDirectDebitReturn(store, clock, view, entry, t, options.actor));
          entry.explanation = outcome.why;
          if (outcome.posted) {
            ++report.posted;
            ++report.direct_debit_returns;
            const domain::Money open = owner->open_balance + entry.amount;
            QUITT_RETURN_IF_ERROR(
                store.PutCaseBalance(owner->client, owner->case_id, open, entry.booking_date));
            index.Update(owner->case_id.value(), open, false);
          } else {
            entry.state = BankEntryState::kReview;
            ++report.review;
          }
          QUITT_RETURN_IF_ERROR(store.UpdateBankEntry(entry));
          report.new_entries.push_back(std::move(entry));
          continue;
        }
      }
      domain::payment::MatchResult match =
          domain::payment::MatchTransaction(t, index, options.policy);
      entry.match_reason = domain::payment::MatchReasonName(match.reason);
      entry.confidence = match.confidence;
      entry.explanation = match.explanation;
      entry.candidates = CandidateNumbers(index, match.candidates);
      const MatchIndexRow* row = nullptr;
      if (match.decision == MatchDecision::kMatched && match.case_id) {
        row = index.Find(*match.case_id);
        if (row != nullptr) {
          entry.client = row->client;
          entry.case_id = row->case_id;
          entry.case_number = row->case_number;
        }
      }
      switch (match.decision) {
        case MatchDecision::kNotIncoming: entry.state = BankEntryState::kNotIncoming; break;
        case MatchDecision::kReview: entry.state = BankEntryState::kReview; break;
        case MatchDecision::kMatched: entry.state = BankEntryState::kPosted; break;
      }
      QUITT_ASSIGN_OR_RETURN(bool inserted, store.InsertBankEntry(entry));
      if (!inserted) {
        ++report.already_known;
        continue;
      }
      if (entry.state == BankEntryState::kReview) {
        QUITT_RETURN_IF_ERROR(ToReview(store, entry, "", /*inserted=*/false));
      } else if (entry.state == BankEntryState::kPosted) {
        if (row == nullptr) {
          QUITT_RETURN_IF_ERROR(ToReview(store, entry, "matched case is not in the index", true));
        } else {
          QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, row->case_number));
          QUITT_ASSIGN_OR_RETURN(const ClientTerms* terms, terms_for(view.summary.client));
          PostingOptions posting;
          posting.allow_provisional_base_rate = options.allow_provisional_base_rate;
          posting.actor = options.actor;
          IncomingPayment incoming = PaymentOf(entry);
          // The credit of a direct debit we collected: the payment names it, so a later return
          // finds the payment to reverse.
          if (!entry.end_to_end_id.empty() &&
              FindCollection(view.state, entry.end_to_end_id) != nullptr) {
            incoming.match_reason = DirectDebitMatchReason(entry.end_to_end_id);
          }
          auto plan =
              PlanPosting(jurisdiction, view.state, view.customer.kind, *terms, incoming, posting);
          if (!plan) {
            // The case is known but the ledger cannot post (other currency, unpublished base
            // rate): an agent decides; the reason is on the review list.
            QUITT_RETURN_IF_ERROR(ToReview(
                store, entry, entry.explanation + "; not posted: " + plan.error().message(), true));
          } else {
            QUITT_RETURN_IF_ERROR(
                ApplyPosting(store, clock, view, *plan, entry.booking_date, options.actor));
            if (plan->entry_state != BankEntryState::kPosted) {
              entry.state = plan->entry_state;
              QUITT_RETURN_IF_ERROR(store.UpdateBankEntry(entry));
            }
            if (plan->closes_case) ++report.cases_closed;
            if (plan->hold && plan->hold->reason == "overpayment") ++report.overpayments;
            index.Update(row->case_id.value(), plan->open_after,
                         plan->closes_case || view.state.status == domain::CaseStatus::kClosed);
          }
        }
      }
      switch (entry.state) {
        case BankEntryState::kPosted: ++report.posted; break;
        case BankEntryState::kHeld: ++report.held; break;
        case BankEntryState::kReview: ++report.review; break;
        case BankEntryState::kNotIncoming: ++report.not_incoming; break;
      }
      report.new_entries.push_back(std::move(entry));
    }
  }
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  return report;
}

Result<BankEntry> AssignBankEntry(CaseStore& store, Clock& clock,
                                  const domain::Jurisdiction& jurisdiction, std::int64_t entry_id,
                                  const std::string& case_number, const AssignOptions& options) {
  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  QUITT_ASSIGN_OR_RETURN(auto found, store.FindBankEntry(entry_id));
  if (!found) return NotFound("bank entry " + std::to_string(entry_id) + " does not exist");
  BankEntry entry = *found;
  if (entry.state != BankEntryState::kReview) {
    return FailedPrecondition("bank entry " + std::to_string(entry_id) + " is " +
                              BankEntryStateName(entry.state) + ", not on the review list");
  }
  if (!IsMoneyIn(entry)) {
    return FailedPrecondition("bank entry " + std::to_string(entry_id) +
                              " is not an incoming payment (debit or reversal); it cannot be "
                              "posted to a case");
  }
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  QUITT_ASSIGN_OR_RETURN(auto stored_terms, store.FindClientTerms(view.summary.client));
  entry.match_reason = "assigned by " + options.actor;
  entry.confidence = 100;
  PostingOptions posting;
  posting.allow_provisional_base_rate = options.allow_provisional_base_rate;
  posting.from_suspense = true;
  posting.actor = options.actor;
  QUITT_ASSIGN_OR_RETURN(
      PostingPlan plan,
      PlanPosting(jurisdiction, view.state, view.customer.kind,
                  TermsOrDefault(stored_terms, view.summary.client), PaymentOf(entry), posting));
  QUITT_RETURN_IF_ERROR(ApplyPosting(store, clock, view, plan, entry.booking_date, options.actor));
  entry.state = plan.entry_state;
  entry.client = view.summary.client;
  entry.case_id = view.summary.id;
  entry.case_number = view.summary.case_number;
  entry.explanation = "assigned to " + view.summary.case_number + " by " + options.actor;
  QUITT_RETURN_IF_ERROR(store.UpdateBankEntry(entry));
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  return entry;
}

}  // namespace quitt::app::payments
