#include "app/collection.h"

#include "app/case_service.h"
#include "domain/case_event_codec.h"

namespace quitt::app {

namespace {

struct Loaded {
  CaseView view;
  CollectionRow row;
  const workflow::Strategy* strategy = nullptr;
};

Result<Loaded> LoadForCollection(CaseStore& store, const StrategyBook& book,
                                 const std::string& case_number) {
  Loaded loaded;
  QUITT_ASSIGN_OR_RETURN(loaded.view, LoadCase(store, case_number));
  const CaseSummary& s = loaded.view.summary;
  QUITT_ASSIGN_OR_RETURN(bool repeat, store.IsRepeatCustomer(s.client, s.customer, s.id));
  loaded.row = BuildCollectionRow(loaded.view.state, loaded.view.customer, repeat, book);
  loaded.strategy = book.Find(loaded.row.strategy_id);
  if (loaded.strategy == nullptr) {
    return FailedPrecondition("case " + s.case_number + ": no strategy is loaded for it" +
                              (loaded.row.strategy_id.empty()
                                   ? std::string(" (no strategy for its kind of customer)")
                                   : " ('" + loaded.row.strategy_id + "')"));
  }
  return loaded;
}

Status RequireActive(const Loaded& loaded) {
  const auto& s = loaded.view.summary;
  if (loaded.view.state.status == domain::CaseStatus::kClosed) {
    return FailedPrecondition("case " + s.case_number + " is closed");
  }
  const auto& c = loaded.view.state.collection;
  if (c.disputed) return FailedPrecondition("case " + s.case_number + " is disputed");
  if (c.hardship) return FailedPrecondition("case " + s.case_number + " is a hardship case");
  if (c.arrangement != domain::CollectionProgress::Arrangement::kNone) {
    return FailedPrecondition("case " + s.case_number + " has a " +
                              (c.arrangement == domain::CollectionProgress::Arrangement::kPromise
                                   ? "promise to pay"
                                   : "payment plan") +
                              " running until " + c.arrangement_dues.back().due.ToString());
  }
  return OkStatus();
}

// Appends `payloads` to the case (read inside the transaction again, so a concurrent writer
// cannot slip in between) with its summary and collection row.
Result<CaseSummary> Record(const CollectionContext& context, const std::string& case_number,
                           std::vector<domain::CaseEventPayload> payloads, domain::Date effective) {
  QUITT_ASSIGN_OR_RETURN(auto transaction, context.store.Begin());
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(context.store, case_number));
  Sha256Digest last_hash = view.history.empty() ? Sha256Digest{} : view.history.back().hash;
  const domain::Timestamp now = context.clock.Now();
  WriteBatch batch;
  domain::CaseState state = view.state;
  for (auto& payload : payloads) {
    domain::CaseEvent event{state.client, state.id,      state.last_seq + 1, effective,
                            now,          context.actor, std::move(payload)};
    state = domain::Apply(std::move(state), event);
    batch.events.push_back(domain::Seal(std::move(event), last_hash));
    last_hash = batch.events.back().hash;
  }
  CaseSummary summary = SummaryFromState(state, view.customer, last_hash, now);
  batch.case_summaries.push_back(summary);
  QUITT_ASSIGN_OR_RETURN(bool repeat,
                         context.store.IsRepeatCustomer(state.client, view.customer.id, state.id));
  batch.collection_rows.push_back(BuildCollectionRow(state, view.customer, repeat, context.book));
  QUITT_RETURN_IF_ERROR(context.store.Write(batch));
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  return summary;
}

}  // namespace

Result<CaseSummary> PromiseToPay(const CollectionContext& context, const std::string& case_number,
                                 domain::Money amount, domain::Date due, domain::Date today) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded,
                         LoadForCollection(context.store, context.book, case_number));
  QUITT_RETURN_IF_ERROR(RequireActive(loaded));
  const domain::Money balance = loaded.row.facts.balance;
  if (!(amount.currency() == balance.currency())) {
    return InvalidArgument("amount: the case is in " + std::string(balance.currency().code()));
  }
  if (!amount.is_positive()) return InvalidArgument("amount: must be positive");
  if (amount > balance) {
    return InvalidArgument("amount: " + amount.ToDecimalString() +
                           " is more than the open balance " + balance.ToDecimalString());
  }
  if (due < today) return InvalidArgument("date: " + due.ToString() + " lies in the past");
  return Record(context, case_number, {domain::PromiseMade{amount, due}}, today);
}

Result<PlanResult> AgreePaymentPlan(const CollectionContext& context,
                                    const std::string& case_number, int count, domain::Date first,
                                    workflow::Rhythm rhythm, domain::Date today,
                                    bool allow_outside_limits) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded,
                         LoadForCollection(context.store, context.book, case_number));
  QUITT_RETURN_IF_ERROR(RequireActive(loaded));
  if (first < today) return InvalidArgument("first: " + first.ToString() + " lies in the past");
  PlanResult result;
  QUITT_ASSIGN_OR_RETURN(result.plan,
                         workflow::MakePaymentPlan(loaded.row.facts.balance, count, first, rhythm));
  result.outside_limits = workflow::CheckPlanLimits(result.plan, loaded.strategy->limits());
  if (!result.outside_limits.empty() && !allow_outside_limits) {
    std::string message =
        "the plan is outside the bounds of strategy '" + loaded.strategy->id() + "':";
    for (const auto& reason : result.outside_limits) message += "\n  - " + reason;
    return FailedPrecondition(message);
  }
  domain::PlanAgreed agreed;
  agreed.total = result.plan.total;
  agreed.rhythm = workflow::RhythmName(rhythm);
  for (const auto& instalment : result.plan.instalments) {
    agreed.instalments.push_back(domain::PlannedInstalment{instalment.due, instalment.amount});
  }
  QUITT_ASSIGN_OR_RETURN(result.summary, Record(context, case_number, {agreed}, today));
  return result;
}

Result<CaseSummary> RaiseDispute(const CollectionContext& context, const std::string& case_number,
                                 const std::string& reason, domain::Date today) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded,
                         LoadForCollection(context.store, context.book, case_number));
  if (loaded.view.state.status == domain::CaseStatus::kClosed) {
    return FailedPrecondition("case " + loaded.view.summary.case_number + " is closed");
  }
  if (loaded.view.state.collection.disputed) {
    return FailedPrecondition("case " + loaded.view.summary.case_number + " is disputed already");
  }
  if (reason.empty()) return InvalidArgument("reason: say what the customer disputes");
  return Record(context, case_number, {domain::DisputeRaised{reason}}, today);
}

Result<CaseSummary> FlagHardship(const CollectionContext& context, const std::string& case_number,
                                 const std::string& reason, domain::Date today) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded,
                         LoadForCollection(context.store, context.book, case_number));
  if (loaded.view.state.status == domain::CaseStatus::kClosed) {
    return FailedPrecondition("case " + loaded.view.summary.case_number + " is closed");
  }
  if (loaded.view.state.collection.hardship) {
    return FailedPrecondition("case " + loaded.view.summary.case_number +
                              " is flagged as hardship already");
  }
  return Record(context, case_number, {domain::HardshipFlagged{reason}}, today);
}

Result<CaseSummary> ResolvePause(const CollectionContext& context, const std::string& case_number,
                                 const std::string& remark, domain::Date today) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded,
                         LoadForCollection(context.store, context.book, case_number));
  const auto& c = loaded.view.state.collection;
  if (!c.disputed && !c.hardship) {
    return FailedPrecondition("case " + loaded.view.summary.case_number +
                              " has no open dispute or hardship flag");
  }
  const workflow::PendingResume resume =
      workflow::ResumeAfterPause(*loaded.strategy, loaded.row.facts, today);
  domain::ResumePoint point;
  if (resume.step >= 0) {
    const int variant = loaded.row.facts.variant >= 0
                            ? loaded.row.facts.variant
                            : loaded.strategy->AssignVariant(loaded.row.facts.case_id);
    point.step_id = loaded.strategy->variants()[variant].steps[resume.step].id;
    point.step_index = resume.step;
    point.due = resume.due;
  }
  std::vector<domain::CaseEventPayload> payloads;
  if (c.disputed) payloads.push_back(domain::DisputeResolved{remark, point});
  if (c.hardship) payloads.push_back(domain::HardshipCleared{remark, point});
  return Record(context, case_number, std::move(payloads), today);
}

Result<CollectionRow> CollectionRowFromHistory(CaseStore& store, const StrategyBook& book,
                                               const std::string& case_number) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded, LoadForCollection(store, book, case_number));
  return loaded.row;
}

Result<std::string> ExplainCase(CaseStore& store, const StrategyBook& book,
                                const std::string& case_number, domain::Date as_of) {
  QUITT_ASSIGN_OR_RETURN(Loaded loaded, LoadForCollection(store, book, case_number));
  std::string text =
      "Case " + loaded.view.summary.case_number + " (" + loaded.view.summary.customer_name + ")\n";
  if (loaded.view.state.status == domain::CaseStatus::kClosed) {
    text += "The case is closed; the strategy takes no further step.\n";
  }
  return text + workflow::Explain(*loaded.strategy, loaded.row.facts, as_of);
}

}  // namespace quitt::app
