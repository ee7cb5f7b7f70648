#include "app/payments/posting.h"

#include "domain/case_event_codec.h"

namespace quitt::app::payments {

using domain::Money;

namespace {

void AddLine(JournalEntry& entry, const char* account, domain::ClientId client, std::int64_t debit,
             std::int64_t credit) {
  if (debit == 0 && credit == 0) return;
  entry.lines.push_back({account, client, debit, credit});
}

// What the agency keeps of the costs bucket: its collection costs (fees, expenses, VAT) are paid
// before the client's own costs, counted over the whole case, so the split of every payment
// follows from the history alone.
Money AgencyShareOfCosts(const domain::Statement& statement, const domain::CaseState& state,
                         const Money& costs_now) {
  const domain::Currency currency = costs_now.currency();
  Money agency_total = Money::Zero(currency);
  for (const domain::FeeLine& line : statement.collection_costs) agency_total += line.amount;
  Money paid_before = Money::Zero(currency);
  for (const domain::PaymentAllocated& allocation : state.allocations) {
    for (const domain::AllocatedPart& part : allocation.parts) {
      if (part.bucket == "costs" && part.amount.currency() == currency) paid_before += part.amount;
    }
  }
  auto capped = [&](const Money& paid) { return paid < agency_total ? paid : agency_total; };
  Money share = capped(paid_before + costs_now) - capped(paid_before);
  return share.is_negative() ? Money::Zero(currency) : share;
}

}  // namespace

ClientTerms TermsOrDefault(const std::optional<ClientTerms>& terms, domain::ClientId client) {
  if (terms) return *terms;
  ClientTerms defaults;
  defaults.client = client;
  return defaults;
}

JournalEntry SuspenseReceipt(const std::string& payment_ref, domain::Date date,
                             const Money& amount) {
  JournalEntry entry;
  entry.client = domain::ClientId(kAgencyClientId);
  entry.date = date;
  entry.kind = "receipt";
  entry.reference = payment_ref;
  entry.memo = "received, not yet assigned to a case";
  entry.currency = amount.currency().code();
  const domain::ClientId agency(kAgencyClientId);
  AddLine(entry, kAccountTrustBank, agency, amount.minor_units(), 0);
  AddLine(entry, kAccountSuspense, agency, 0, amount.minor_units());
  return entry;
}

Result<PostingPlan> PlanPosting(const domain::Jurisdiction& jurisdiction,
                                const domain::CaseState& state, domain::CustomerKind customer_kind,
                                const ClientTerms& terms, const IncomingPayment& payment,
                                const PostingOptions& options) {
  if (!payment.amount.is_positive()) {
    return InvalidArgument("payment " + payment.payment_ref + ": amount must be positive");
  }
  const domain::Currency currency = state.currency.value_or(domain::Currency::Eur());
  if (payment.amount.currency() != currency) {
    return InvalidArgument("payment " + payment.payment_ref + " is in " +
                           std::string(payment.amount.currency().code()) + ", case " +
                           state.case_number + " in " + std::string(currency.code()));
  }
  PostingPlan plan;
  domain::PaymentReceived received;
  received.payment_ref = payment.payment_ref;
  received.booked_on = payment.booked_on;
  received.amount = payment.amount;
  received.payer_name = payment.payer_name;
  received.payer_iban = payment.payer_iban;
  received.remittance = payment.remittance;
  received.match_reason = payment.match_reason;
  received.confidence = payment.confidence;
  plan.events.push_back(received);

  JournalEntry& journal = plan.journal;
  journal.client = state.client;
  journal.date = payment.booked_on;
  journal.kind = options.from_suspense ? "assignment" : "receipt";
  journal.reference = payment.payment_ref;
  journal.currency = currency.code();
  const std::int64_t amount = payment.amount.minor_units();
  if (options.from_suspense) {
    AddLine(journal, kAccountSuspense, domain::ClientId(kAgencyClientId), amount, 0);
  } else {
    AddLine(journal, kAccountTrustBank, state.client, amount, 0);
  }

  auto make_hold = [&](const Money& held, const char* reason) {
    RefundHold hold;
    hold.client = state.client;
    hold.case_id = state.id;
    hold.case_number = state.case_number;
    hold.payment_ref = payment.payment_ref;
    hold.date = payment.booked_on;
    hold.amount = held;
    hold.reason = reason;
    hold.payer_name = payment.payer_name;
    hold.payer_iban = payment.payer_iban;
    plan.hold = hold;
    plan.events.push_back(domain::PaymentHeld{payment.payment_ref, held, reason});
    AddLine(journal, kAccountRefundsPayable, state.client, 0, held.minor_units());
  };

  if (state.status == domain::CaseStatus::kClosed) {
    journal.memo = "payment for closed case " + state.case_number + ": held for refund";
    make_hold(payment.amount, "case_closed");
    plan.entry_state = BankEntryState::kHeld;
    plan.open_after = Money::Zero(currency);
    return plan;
  }

  // The ledger folds every allocated payment plus this one, as of the later of this payment and
  // the last one, and this payment's allocation is recorded.
  StatementOptions statement_options;
  statement_options.as_of = payment.booked_on;
  for (const auto& earlier : state.payments) {
    if (earlier.booked_on > statement_options.as_of) statement_options.as_of = earlier.booked_on;
  }
  statement_options.allow_provisional_base_rate = options.allow_provisional_base_rate;
  statement_options.client_can_deduct_vat = terms.client_can_deduct_vat;
  domain::LedgerInput input = LedgerInputOf(state, customer_kind, statement_options);
  input.payments.push_back({payment.payment_ref, payment.booked_on, payment.amount, {}});
  auto statement = domain::BuildStatement(jurisdiction, input);
  if (!statement) return statement.error().WithContext("case " + state.case_number);
  const domain::PaymentAllocation* allocation = nullptr;
  for (const auto& candidate : statement->payments) {
    if (candidate.payment_ref == payment.payment_ref) allocation = &candidate;
  }
  if (allocation == nullptr) {
    return Internal("the ledger did not allocate payment " + payment.payment_ref);
  }
  plan.allocation = *allocation;
  plan.events.push_back(ToAllocatedEvent(*allocation));
  for (const auto& claim : statement->claims) {
    for (const auto& line : claim.interest_lines) {
      if (line.provisional) {
        plan.notes.push_back("interest after the last published base rate is provisional");
        break;
      }
    }
    if (!plan.notes.empty()) break;
  }

  PaymentSplit split;
  split.client = state.client;
  split.case_id = state.id;
  split.case_number = state.case_number;
  split.payment_ref = payment.payment_ref;
  split.date = payment.booked_on;
  split.principal = split.interest = split.costs = Money::Zero(currency);
  for (const auto& part : allocation->parts) {
    switch (part.bucket) {
      case domain::Bucket::kPrincipal: split.principal += part.amount; break;
      case domain::Bucket::kInterest: split.interest += part.amount; break;
      case domain::Bucket::kCosts: split.costs += part.amount; break;
    }
  }
  split.amount = split.principal + split.interest + split.costs;
  Money agency_costs = AgencyShareOfCosts(*statement, state, split.costs);
  split.agency_costs = terms.agency_keeps_collection_costs ? agency_costs : Money::Zero(currency);
  // Commission on what was collected for the client (principal and interest), rounded down: the
  // agency never bills its client a fraction of a cent it did not earn.
  split.commission = (split.principal + split.interest)
                         .MultiplyRatio(terms.commission_bp, 10'000, domain::RoundingMode::kDown);
  split.to_client = split.amount - split.agency_costs - split.commission;
  if (split.amount.is_positive()) {
    AddLine(journal, kAccountClientPayable, state.client, 0, split.to_client.minor_units());
    AddLine(journal, kAccountAgencyFees, state.client, 0,
            (split.commission + split.agency_costs).minor_units());
    plan.split = split;
  }
  if (allocation->surplus.is_positive()) make_hold(allocation->surplus, "overpayment");

  plan.open_after = statement->total_due;
  if (FullyPaid(*statement)) {
    plan.closes_case = true;
    plan.events.push_back(domain::CaseClosed{domain::CaseCloseReason::kPaid,
                                             "paid in full by payment " + payment.payment_ref});
  }
  journal.memo = "payment for case " + state.case_number;
  return plan;
}

Status WriteCaseEvents(CaseStore& store, domain::Timestamp now, const CaseView& view,
                       std::vector<domain::CaseEventPayload> payloads, domain::Date effective_date,
                       const std::string& actor) {
  Sha256Digest last_hash = view.history.empty() ? Sha256Digest{} : view.history.back().hash;
  WriteBatch batch;
  domain::CaseState state = view.state;
  for (auto& payload : payloads) {
    domain::CaseEvent event{state.client, state.id, state.last_seq + 1, effective_date,
                            now,          actor,    std::move(payload)};
    state = domain::Apply(std::move(state), event);
    batch.events.push_back(domain::Seal(std::move(event), last_hash));
    last_hash = batch.events.back().hash;
  }
  batch.case_summaries.push_back(SummaryFromState(state, view.customer, last_hash, now));
  return store.Write(batch);
}

Status ApplyPosting(CaseStore& store, Clock& clock, const CaseView& view, const PostingPlan& plan,
                    domain::Date effective_date, const std::string& actor) {
  QUITT_RETURN_IF_ERROR(
      WriteCaseEvents(store, clock.Now(), view, plan.events, effective_date, actor));
  JournalEntry journal = plan.journal;
  QUITT_RETURN_IF_ERROR(store.AddJournalEntry(journal));
  if (plan.split) {
    PaymentSplit split = *plan.split;
    QUITT_RETURN_IF_ERROR(store.AddPaymentSplit(split));
  }
  if (plan.hold) {
    RefundHold hold = *plan.hold;
    QUITT_RETURN_IF_ERROR(store.AddRefundHold(hold));
  }
  return store.PutCaseBalance(view.state.client, view.state.id, plan.open_after, effective_date);
}

Result<PostingPlan> PostPayment(CaseStore& store, Clock& clock,
                                const domain::Jurisdiction& jurisdiction,
                                const std::string& case_number, const IncomingPayment& payment,
                                const PostingOptions& options) {
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  QUITT_ASSIGN_OR_RETURN(auto stored_terms, store.FindClientTerms(view.summary.client));
  ClientTerms terms = TermsOrDefault(stored_terms, view.summary.client);
  for (const auto& earlier : view.state.payments) {
    if (earlier.payment_ref == payment.payment_ref) {
      return AlreadyExists("payment " + payment.payment_ref + " is posted to case " +
                           view.summary.case_number + " already");
    }
  }
  QUITT_ASSIGN_OR_RETURN(PostingPlan plan, PlanPosting(jurisdiction, view.state, view.customer.kind,
                                                       terms, payment, options));
  QUITT_RETURN_IF_ERROR(ApplyPosting(store, clock, view, plan, payment.booked_on, options.actor));
  return plan;
}

}  // namespace quitt::app::payments
