#include "app/payments/direct_debit.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "app/case_facts.h"
#include "app/payments/posting.h"
#include "common/text.h"
#include "domain/case_event_codec.h"
#include "domain/case_number.h"
#include "domain/iban.h"
#include "domain/payment/bank_statement.h"
#include "domain/payment/sepa_direct_debit.h"
#include "domain/payment/sepa_text.h"

namespace quitt::app::payments {

using domain::Date;
using domain::Money;

namespace {

bool IsBic(const std::string& bic) {
  if (bic.size() != 8 && bic.size() != 11) return false;
  for (std::size_t i = 0; i < bic.size(); ++i) {
    const char c = bic[i];
    const bool letter = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (i < 6 ? !letter : !(letter || digit)) return false;
  }
  return true;
}

std::size_t Utf8Length(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// "Q-00000003-4" → "Q000000034": the compact form keeps end-to-end ids short and the matcher's
// CaseNumber::FindIn still finds the case in it.
std::string CompactNumber(const std::string& case_number) {
  std::string out;
  for (char c : case_number) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

std::string CompactDate(Date date) {
  std::string text = date.ToString();
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

// Why the pain.008 cannot carry `holder` as the debtor's name, or nothing. The one rule for a
// new mandate and for one recorded before the holder was checked.
std::optional<std::string> HolderProblem(const std::string& holder) {
  if (Trim(holder).empty() || Utf8Length(holder) > 70) {
    return "account holder must have 1 to 70 characters";
  }
  if (auto text = domain::payment::SepaText("account holder", holder, 70); !text) {
    return text.error().message() +
           " (allowed: A-Z a-z 0-9 / - ? : ( ) . , ' + & space, umlauts, accented Latin letters)";
  }
  return std::nullopt;
}

// Why the pain.008 could not carry this mandate (a mandate recorded before the holder was
// checked), or nothing.
std::optional<std::string> UnwritableMandate(const domain::MandateGiven& mandate) {
  if (auto ref = domain::payment::ValidateMandateReference(mandate.mandate_ref); !ref) {
    return ref.error().message();
  }
  return HolderProblem(mandate.holder);
}

// The effective date of the payment plan in force (the last plan_agreed of the history).
Date PlanAgreedOn(const CaseView& view) {
  Date on = view.state.opened_on.value_or(Date::FromDaysSinceEpoch(0));
  for (const auto& event : view.events) {
    if (std::holds_alternative<domain::PlanAgreed>(event.payload)) on = event.effective_date;
  }
  return on;
}

}  // namespace

// --- Mandates ------------------------------------------------------------------------------------

Result<domain::MandateGiven> CheckMandate(const MandateInput& input, Date today) {
  domain::MandateGiven mandate;
  QUITT_ASSIGN_OR_RETURN(mandate.mandate_ref,
                         domain::payment::ValidateMandateReference(input.mandate_ref));
  auto iban = domain::Iban::Parse(input.iban);
  if (!iban) return iban.error().WithContext("mandate " + mandate.mandate_ref + ": IBAN");
  mandate.iban = iban->electronic();
  for (char c : input.bic) {
    if (c != ' ') mandate.bic.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  }
  if (!mandate.bic.empty() && !IsBic(mandate.bic)) {
    return InvalidArgument("mandate " + mandate.mandate_ref + ": BIC '" + input.bic +
                           "' must have 8 or 11 characters (bank code, country, location, branch)");
  }
  mandate.holder = std::string(Trim(input.holder));
  if (auto problem = HolderProblem(mandate.holder)) {
    return InvalidArgument("mandate " + mandate.mandate_ref + ": " + *problem);
  }
  if (input.scheme != "CORE" && input.scheme != "B2B") {
    return InvalidArgument("mandate " + mandate.mandate_ref + ": scheme '" + input.scheme +
                           "' must be CORE or B2B");
  }
  mandate.scheme = input.scheme;
  if (input.signed_on > today) {
    return InvalidArgument("mandate " + mandate.mandate_ref + ": date of signature " +
                           input.signed_on.ToString() + " is in the future (today " +
                           today.ToString() + ")");
  }
  mandate.signed_on = input.signed_on;
  return mandate;
}

std::optional<domain::MandateGiven> ActiveMandate(const domain::CaseState& state, Date on) {
  for (auto it = state.mandates.rbegin(); it != state.mandates.rend(); ++it) {
    bool revoked = false;
    for (const auto& revocation : state.mandate_revocations) {
      if (revocation.mandate_ref == it->mandate_ref && revocation.on <= on) revoked = true;
    }
    if (!revoked) return *it;
  }
  return std::nullopt;
}

Result<domain::MandateGiven> AddMandate(CaseStore& store, Clock& clock,
                                        const std::string& case_number, const MandateInput& input,
                                        Date today, const std::string& actor) {
  QUITT_ASSIGN_OR_RETURN(domain::MandateGiven mandate, CheckMandate(input, today));
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  for (const auto& earlier : view.state.mandates) {
    if (earlier.mandate_ref == mandate.mandate_ref) {
      return AlreadyExists("case " + view.summary.case_number + " has mandate " +
                           mandate.mandate_ref + " already (a mandate reference is never reused)");
    }
  }
  QUITT_RETURN_IF_ERROR(AppendToCase(store, clock, case_number, {mandate}, actor, today).status());
  return mandate;
}

Status RevokeMandate(CaseStore& store, Clock& clock, const std::string& case_number,
                     const std::string& mandate_ref, Date on, const std::string& reason,
                     const std::string& actor) {
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  bool known = false;
  for (const auto& m : view.state.mandates) known = known || m.mandate_ref == mandate_ref;
  if (!known) {
    return NotFound("case " + view.summary.case_number + " has no mandate " + mandate_ref);
  }
  for (const auto& r : view.state.mandate_revocations) {
    if (r.mandate_ref == mandate_ref) {
      return FailedPrecondition("mandate " + mandate_ref + " was revoked on " + r.on.ToString());
    }
  }
  return AppendToCase(store, clock, case_number, {domain::MandateRevoked{mandate_ref, on, reason}},
                      actor, on,
                      /*allow_closed=*/true)
      .status();
}

// --- Collection run ------------------------------------------------------------------------------

void PlanCaseDebits(const domain::CaseState& state, Date plan_agreed_on,
                    const DebitOptions& options, std::vector<PlannedDebit>& debits,
                    std::vector<SkippedDebit>& skipped, int& already_collected) {
  auto skip = [&](std::optional<Date> due, std::string reason) {
    skipped.push_back({state.case_number, due, std::move(reason)});
  };
  if (state.mandates.empty()) return;
  if (state.status == domain::CaseStatus::kClosed) return;  // nothing owed any more
  const Date horizon = options.as_of.AddDays(options.lookahead_days);
  const auto mandate = ActiveMandate(state, horizon);
  const auto& c = state.collection;
  const bool has_plan = c.arrangement == domain::CollectionProgress::Arrangement::kPlan;
  if (!mandate) {
    const auto& last = state.mandate_revocations.back();
    if (has_plan) {
      skip(std::nullopt, "mandate " + last.mandate_ref + " revoked on " + last.on.ToString() +
                             (last.reason.empty() ? "" : " (" + last.reason + ")"));
    }
    return;
  }
  if (!has_plan) return;  // a mandate without a plan in force collects nothing
  if (auto problem = UnwritableMandate(*mandate)) {
    skip(std::nullopt, "mandate " + mandate->mandate_ref + " cannot go into the pain.008: " +
                           *problem + "; record a corrected mandate");
    return;
  }
  if (c.disputed) {
    skip(std::nullopt, "disputed: no collection while a dispute is open");
    return;
  }
  if (c.hardship) {
    skip(std::nullopt, "paused: hardship flag");
    return;
  }
  // Payments since the plan pay its instalments in due order (as the daily run counts them).
  std::int64_t paid = 0;
  for (std::size_t i = c.payments_before_arrangement; i < state.payments.size(); ++i) {
    paid += state.payments[i].amount.minor_units();
  }
  bool first_collection = true;
  for (const auto& earlier : state.direct_debits) {
    if (earlier.mandate_ref == mandate->mandate_ref) first_collection = false;
  }
  const Date earliest_submission =
      domain::payment::AddTargetBusinessDays(options.as_of, options.submission_business_days);
  // What the customer still owes, less collections already sent to the bank whose credit has not
  // been posted yet: a debit never takes more than that.
  std::int64_t open = OpenBalance(state).minor_units();
  for (const auto& d : state.direct_debits) {
    const std::string reason = DirectDebitMatchReason(d.end_to_end_id);
    const bool posted = std::any_of(state.payments.begin(), state.payments.end(),
                                    [&](const auto& p) { return p.match_reason == reason; });
    const bool returned =
        std::any_of(state.direct_debit_returns.begin(), state.direct_debit_returns.end(),
                    [&](const auto& r) { return r.end_to_end_id == d.end_to_end_id; });
    if (!posted && !returned) open -= d.amount.minor_units();
  }
  const Date pre_notified = std::max(plan_agreed_on, mandate->signed_on);
  const Date earliest_notice = pre_notified.AddDays(options.pre_notification_days);
  std::int64_t due_so_far = 0;
  bool planned_one = false;
  for (std::size_t i = 0; i < c.arrangement_dues.size(); ++i) {
    const domain::PlannedInstalment& instalment = c.arrangement_dues[i];
    due_so_far += instalment.amount.minor_units();
    if (instalment.due > horizon) break;
    const bool collected = std::any_of(
        state.direct_debits.begin(), state.direct_debits.end(),
        [&](const domain::DirectDebitCollected& d) { return d.instalment_due == instalment.due; });
    if (collected) {
      ++already_collected;
      continue;
    }
    if (paid >= due_so_far) continue;  // paid by transfer already
    if (instalment.amount.currency() != domain::Currency::Eur()) {
      skip(instalment.due, "instalment in " + std::string(instalment.amount.currency().code()) +
                               ": SEPA direct debit is in EUR only");
      continue;
    }
    // The pre-notification announced the whole instalment: a different amount needs a new one.
    const bool partly_paid = paid > due_so_far - instalment.amount.minor_units();
    if (partly_paid || open < instalment.amount.minor_units()) {
      skip(instalment.due,
           std::string(partly_paid ? "partly paid by transfer"
                                   : "open balance below the instalment") +
               " (" +
               Money::FromMinorUnits(std::max<std::int64_t>(open, 0), instalment.amount.currency())
                   .ToDecimalString() +
               " open): collect the rest only after a new pre-notification");
      continue;
    }
    if (planned_one) {
      skip(instalment.due, "one collection per mandate and run: collected by the next run");
      continue;
    }
    const Date collection = domain::payment::NextTargetBusinessDay(
        std::max({instalment.due, earliest_submission, earliest_notice}));
    if (collection > horizon) {
      // Only the notice period can push a collection past the window (the due date is inside
      // it, and the submission deadline is a day or two).
      skip(instalment.due, "pre-notification: " + std::to_string(options.pre_notification_days) +
                               " days after " + pre_notified.ToString() +
                               ", not collected before " + collection.ToString());
      continue;
    }
    PlannedDebit debit;
    debit.client = state.client;
    debit.case_id = state.id;
    debit.case_number = state.case_number;
    debit.mandate = *mandate;
    debit.sequence = first_collection ? "FRST" : "RCUR";
    debit.instalment_due = instalment.due;
    debit.collection_date = collection;
    debit.amount = instalment.amount;
    char counter[8];
    std::snprintf(counter, sizeof counter, "%04zu", state.direct_debits.size() + 1);
    debit.end_to_end_id = "QUITT-" + CompactNumber(state.case_number) + "-DD" + counter;
    debit.remittance_text = "Rate " + std::to_string(i + 1) + " von " +
                            std::to_string(c.arrangement_dues.size()) + ", Akte " +
                            state.case_number;
    debits.push_back(std::move(debit));
    planned_one = true;
  }
}

Result<DebitReport> RunDirectDebits(CaseStore& store, Clock& clock, const DebitOptions& options,
                                    const std::function<Status(const DebitFile&)>& write_file) {
  QUITT_ASSIGN_OR_RETURN(std::string creditor_id,
                         domain::payment::ValidateCreditorId(options.creditor_id));
  DebitReport report;
  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  QUITT_ASSIGN_OR_RETURN(auto rows, store.LoadMatchIndex());
  std::vector<CaseView> views;
  for (const MatchIndexRow& row : rows) {
    if (row.closed) continue;
    QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, row.case_number));
    if (view.state.mandates.empty()) continue;
    const std::size_t before = report.debits.size();
    PlanCaseDebits(view.state, PlanAgreedOn(view), options, report.debits, report.skipped,
                   report.already_collected);
    if (report.debits.size() > before) views.push_back(std::move(view));
  }
  if (report.debits.empty()) {
    QUITT_RETURN_IF_ERROR(transaction->Commit());
    return report;
  }
  const domain::Timestamp now = clock.Now();
  DebitFile file;
  file.message_id = "QUITT-DD-" + CompactDate(options.as_of) + "-" +
                    std::to_string(now.unix_micros() / 1'000'000);
  file.created_at = now;
  file.initiating_party = options.agency_name;
  file.creditor_id = creditor_id;
  file.creditor_account = options.creditor_account;
  std::map<std::tuple<std::string, std::string, std::int32_t>, std::size_t> block_of;
  for (const PlannedDebit& debit : report.debits) {
    auto key = std::make_tuple(debit.mandate.scheme, debit.sequence,
                               debit.collection_date.days_since_epoch());
    auto [it, inserted] = block_of.emplace(key, file.blocks.size());
    if (inserted) {
      DebitBlock block;
      block.scheme = debit.mandate.scheme;
      block.sequence = debit.sequence;
      block.collection_date = debit.collection_date;
      block.payment_info_id = file.message_id + "-" + std::to_string(file.blocks.size() + 1);
      file.blocks.push_back(std::move(block));
    }
    file.blocks[it->second].debits.push_back(debit);
  }
  std::size_t next = 0;
  for (const CaseView& view : views) {
    std::vector<domain::CaseEventPayload> events;
    for (; next < report.debits.size() && report.debits[next].case_id == view.state.id; ++next) {
      const PlannedDebit& d = report.debits[next];
      events.push_back(domain::DirectDebitCollected{d.end_to_end_id, d.mandate.mandate_ref,
                                                    d.sequence, d.instalment_due, d.amount,
                                                    d.collection_date, file.message_id});
    }
    QUITT_RETURN_IF_ERROR(
        WriteCaseEvents(store, now, view, std::move(events), options.as_of, options.actor));
  }
  QUITT_RETURN_IF_ERROR(write_file(file));
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  report.file = std::move(file);
  return report;
}

// --- Returns -------------------------------------------------------------------------------------

std::string DirectDebitMatchReason(const std::string& end_to_end_id) {
  return "direct debit " + end_to_end_id;
}

bool LooksLikeDirectDebitReturn(const domain::payment::BankTransaction& t) {
  if (t.end_to_end_id.empty()) return false;
  const bool money_out = t.direction == domain::payment::Direction::kDebit;
  return (money_out && (!t.return_reason.empty() || t.reversal)) ||
         (!money_out && t.reversal && !t.return_reason.empty());
}

const domain::DirectDebitCollected* FindCollection(const domain::CaseState& state,
                                                   const std::string& end_to_end_id) {
  for (const auto& d : state.direct_debits) {
    if (d.end_to_end_id == end_to_end_id) return &d;
  }
  return nullptr;
}

Result<ReturnOutcome> PostDirectDebitReturn(CaseStore& store, Clock& clock, const CaseView& view,
                                            const BankEntry& entry,
                                            const domain::payment::BankTransaction& transaction,
                                            const std::string& actor) {
  ReturnOutcome outcome;
  const domain::CaseState& state = view.state;
  const std::string& e2e = transaction.end_to_end_id;
  const std::string what =
      "direct debit " + e2e + " returned" +
      (transaction.return_reason.empty() ? std::string() : " (" + transaction.return_reason + ")");
  auto review = [&](const std::string& why) {
    outcome.posted = false;
    outcome.why = what + ": " + why + "; not booked";
    return outcome;
  };
  const domain::DirectDebitCollected* collection = FindCollection(state, e2e);
  if (collection == nullptr) return review("case " + state.case_number + " did not issue it");
  for (const auto& r : state.direct_debit_returns) {
    if (r.end_to_end_id == e2e) return review("its return is booked already");
  }
  const domain::PaymentReceived* payment = nullptr;
  for (const auto& p : state.payments) {
    if (p.match_reason == DirectDebitMatchReason(e2e)) payment = &p;
  }
  if (payment == nullptr) return review("its credit was never posted to the case");
  if (payment->amount != entry.amount) {
    return review("returned " + entry.amount.ToDecimalString() + ", collected " +
                  payment->amount.ToDecimalString());
  }
  if (state.status == domain::CaseStatus::kClosed) {
    return review("the payment closed case " + state.case_number + "; reopen it by hand");
  }
  for (const auto& h : state.held) {
    if (h.payment_ref == payment->payment_ref) return review("part of it is held for refund");
  }
  QUITT_ASSIGN_OR_RETURN(
      auto splits, store.ListUnremittedSplits(state.client, Date::FromDaysSinceEpoch(1 << 20)));
  const PaymentSplit* split = nullptr;
  for (const auto& s : splits) {
    if (s.payment_ref == payment->payment_ref) split = &s;
  }
  if (split == nullptr) return review("its money was remitted to the client already");

  JournalEntry journal;
  journal.client = state.client;
  journal.date = entry.booking_date;
  journal.kind = "return";
  journal.reference = entry.entry_key;
  journal.memo =
      what + ", reverses payment " + payment->payment_ref + " of case " + state.case_number;
  journal.currency = entry.amount.currency().code();
  const std::int64_t fees = (split->commission + split->agency_costs).minor_units();
  if (split->to_client.minor_units() != 0) {
    journal.lines.push_back(
        {kAccountClientPayable, state.client, split->to_client.minor_units(), 0});
  }
  if (fees != 0) journal.lines.push_back({kAccountAgencyFees, state.client, fees, 0});
  journal.lines.push_back({kAccountTrustBank, state.client, 0, entry.amount.minor_units()});

  PaymentSplit reversal = *split;
  reversal.split_id = 0;
  reversal.remittance_id.reset();
  reversal.payment_ref = "return:" + entry.entry_key;
  // Dated like the split it cancels: a remittance up to any date between the credit and the return
  // then sees both or neither, and never pays out money the bank took back.
  reversal.date = split->date;
  reversal.amount = -split->amount;
  reversal.to_client = -split->to_client;
  reversal.commission = -split->commission;
  reversal.agency_costs = -split->agency_costs;
  reversal.principal = -split->principal;
  reversal.interest = -split->interest;
  reversal.costs = -split->costs;

  domain::DirectDebitReturned returned{
      e2e,          payment->payment_ref,     entry.entry_key, entry.booking_date,
      entry.amount, transaction.return_reason};
  QUITT_RETURN_IF_ERROR(
      WriteCaseEvents(store, clock.Now(), view, {returned}, entry.booking_date, actor));
  QUITT_RETURN_IF_ERROR(store.AddJournalEntry(journal));
  QUITT_RETURN_IF_ERROR(store.AddPaymentSplit(reversal));
  outcome.posted = true;
  outcome.why = what + ": payment " + payment->payment_ref + " reversed, instalment of " +
                collection->instalment_due.ToString() + " unpaid again";
  return outcome;
}

}  // namespace quitt::app::payments
