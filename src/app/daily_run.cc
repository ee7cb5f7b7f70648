#include "app/daily_run.h"

#include "common/check.h"
#include "domain/case_event_codec.h"

namespace quitt::app {

namespace {

using domain::Date;
using workflow::ArrangementKind;
using workflow::ArrangementOutcome;
using workflow::CaseStatus;

// Where the decision says the ladder resumes after the promise/plan ended, as recorded on the
// outcome event (later steps of the same decision clear it again, as in the fold).
domain::ResumePoint OutcomeResume(const workflow::Strategy& strategy,
                                  const workflow::CaseFacts& facts,
                                  const workflow::Decision& decision) {
  domain::ResumePoint point;
  workflow::PendingResume resume;
  if (decision.arrangement_outcome == ArrangementOutcome::kCompleted) {
    workflow::CaseFacts with_variant = facts;
    with_variant.variant = decision.variant;
    resume = workflow::ResumeAfterPause(strategy, with_variant, decision.arrangement_outcome_on);
  } else {
    for (const auto& reason : decision.reasons) {
      if (reason.code == workflow::ReasonCode::kPromiseBroken ||
          reason.code == workflow::ReasonCode::kPlanBroken) {
        resume = workflow::PendingResume{reason.step, reason.date};
      }
    }
  }
  const auto& steps = strategy.variants()[decision.variant].steps;
  if (resume.step >= 0 && resume.step < static_cast<int>(steps.size())) {
    point.step_id = steps[resume.step].id;
    point.step_index = resume.step;
    point.due = resume.due;
  }
  return point;
}

Date NextCheckOn(const workflow::Decision& d) {
  switch (d.status) {
    case CaseStatus::kWaiting:
    case CaseStatus::kPromisePending:
    case CaseStatus::kPlanPending: return d.next_due;
    default: return NeverCheck();
  }
}

// Decides one case and appends what it records to `batch`. Returns whether anything was recorded.
class CaseWriter {
 public:
  CaseWriter(const RunOptions& options, domain::Timestamp now, WriteBatch& batch,
             RunSummary& summary)
      : options_(options), now_(now), batch_(batch), summary_(summary) {}

  void Process(const workflow::Strategy& strategy, DueCase& due) {
    CollectionRow& row = due.row;
    workflow::CaseFacts& facts = row.facts;
    workflow::Decide(strategy, facts, options_.as_of, &decision_);
    ++summary_.cases_seen;
    seq_ = due.last_seq;
    hash_ = due.last_hash;
    const auto& variant = strategy.variants()[decision_.variant];
    if (decision_.variant_assigned) {
      Append(row, options_.as_of,
             domain::StrategyVariantAssigned{strategy.id(), strategy.version(), variant.name,
                                             decision_.variant});
      ++summary_.outcomes["variant_assigned"];
    }
    const bool promise = facts.arrangement.kind == ArrangementKind::kPromise;
    bool arrangement_ended = false;
    if (decision_.arrangement_outcome != ArrangementOutcome::kNone) {
      const domain::ResumePoint resume = OutcomeResume(strategy, facts, decision_);
      const Date on = decision_.arrangement_outcome_on;
      const bool broken = decision_.arrangement_outcome == ArrangementOutcome::kBroken;
      if (promise) {
        Append(row, on,
               broken ? domain::CaseEventPayload(domain::PromiseBroken{on, resume})
                      : domain::CaseEventPayload(domain::PromiseKept{on, resume}));
      } else {
        Append(row, on,
               broken ? domain::CaseEventPayload(domain::PlanBroken{on, resume})
                      : domain::CaseEventPayload(domain::PlanCompleted{on, resume}));
      }
      arrangement_ended = true;
      ++summary_.outcomes[std::string(promise ? "promise_" : "plan_") +
                          (broken ? "broken" : (promise ? "kept" : "completed"))];
    } else if (decision_.status == CaseStatus::kNothingOwed &&
               facts.arrangement.kind != ArrangementKind::kNone && facts.arrangement.fully_paid) {
      // Paid in full: the decision stops at "nothing owed", but the agreement was kept.
      const Date on =
          facts.arrangement.ends_on < options_.as_of ? facts.arrangement.ends_on : options_.as_of;
      Append(row, on,
             promise ? domain::CaseEventPayload(domain::PromiseKept{on, {}})
                     : domain::CaseEventPayload(domain::PlanCompleted{on, {}}));
      arrangement_ended = true;
      ++summary_.outcomes[promise ? "promise_kept" : "plan_completed"];
    }
    for (const workflow::DueAction& action : decision_.actions) {
      const workflow::Step& step = *action.definition;
      const std::string action_name = workflow::ActionKindName(step.action);
      Append(
          row, action.due,
          domain::StepTaken{strategy.id(), strategy.version(), variant.name, step.id, action.step,
                            action_name, step.template_name, action.due, options_.as_of});
      OutboxMessage message;
      message.client = row.client;
      message.message_key = MessageKey(due.case_number, strategy.id(), step.id, action.due);
      message.case_id = row.id;
      message.case_number = due.case_number;
      message.channel = action_name;
      message.template_name = step.template_name;
      message.due = action.due;
      message.run_date = options_.as_of;
      message.event_seq = seq_;
      message.created_at = now_;
      batch_.outbox.push_back(std::move(message));
      ++summary_.actions[action_name];
      ++summary_.outbox;
    }
    const bool closed =
        decision_.status == CaseStatus::kClosedByAction && !decision_.actions.empty();
    if (closed) {
      const workflow::Step& last = *decision_.actions.back().definition;
      Append(row, decision_.actions.back().due,
             domain::CaseClosed{last.action == workflow::ActionKind::kWriteOff
                                    ? domain::CaseCloseReason::kWrittenOff
                                    : domain::CaseCloseReason::kHandedBack,
                                "strategy " + strategy.id() + " step " + last.id});
    }

    workflow::ApplyDecision(decision_, &facts);
    if (arrangement_ended) facts.arrangement = workflow::ArrangementFacts{};
    const Date next_check = NextCheckOn(decision_);
    if (seq_ == due.last_seq) {
      // Nothing recorded: only remember when to look again.
      row.next_check_on = next_check;
      batch_.next_checks.push_back(NextCheck{row.client, row.id, next_check});
      return;
    }
    ++summary_.cases_changed;
    row.next_check_on = next_check;
    row.synced_seq = seq_;
    row.open = !closed;
    if (row.strategy_version == 0) row.strategy_version = strategy.version();
    batch_.collection_rows.push_back(row);
    batch_.case_heads.push_back(CaseHead{row.client, row.id, seq_, hash_, now_, closed});
  }

 private:
  void Append(const CollectionRow& row, Date effective, domain::CaseEventPayload payload) {
    domain::CaseEvent event{row.client,        row.id, ++seq_, effective, now_, options_.actor,
                            std::move(payload)};
    batch_.events.push_back(domain::Seal(std::move(event), hash_));
    hash_ = batch_.events.back().hash;
    ++summary_.events;
  }

  const RunOptions& options_;
  domain::Timestamp now_;
  WriteBatch& batch_;
  RunSummary& summary_;
  workflow::Decision decision_;
  std::int64_t seq_ = 0;
  Sha256Digest hash_{};
};

void Hook(const RunOptions& options, RunPoint point, std::int64_t cases) {
  if (options.fault_hook) options.fault_hook(point, cases);
}

// Runs one claimed partition to its end, batch by batch.
Status RunPartitionBatches(CaseStore& store, Clock& clock, const StrategyBook& book,
                           const RunOptions& options, RunPartition partition, RunSummary& summary,
                           RunProgress& progress) {
  std::vector<DueCase> due;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
    QUITT_ASSIGN_OR_RETURN(
        due, store.LoadDueCases(partition.client, options.as_of, partition.partitions,
                                partition.partition, partition.after_case, options.batch_cases));
    const domain::Timestamp now = clock.Now();
    WriteBatch batch;
    batch.events.reserve(due.size() * 2);
    const std::int64_t actions_before = summary.outbox;
    CaseWriter writer(options, now, batch, summary);
    const workflow::Strategy* strategy = nullptr;
    for (DueCase& c : due) {
      if (strategy == nullptr || strategy->id() != c.row.strategy_id) {
        strategy = book.Find(c.row.strategy_id);
      }
      if (strategy == nullptr) {
        ++summary.no_strategy;
        continue;
      }
      writer.Process(*strategy, c);
      ++progress.cases_seen;
      Hook(options, RunPoint::kCaseDecided, progress.cases_seen);
    }
    const bool done = static_cast<int>(due.size()) < options.batch_cases;
    if (!due.empty()) partition.after_case = due.back().row.id;
    partition.cases_seen += static_cast<std::int64_t>(due.size());
    partition.actions += summary.outbox - actions_before;
    partition.status = done ? "done" : "running";
    partition.worker = options.worker;
    partition.lease_until = now.AddSeconds(options.lease_seconds);
    QUITT_RETURN_IF_ERROR(store.Write(batch));
    QUITT_RETURN_IF_ERROR(store.SaveRunPartition(partition));
    Hook(options, RunPoint::kBatchWritten, progress.cases_seen);
    QUITT_RETURN_IF_ERROR(transaction->Commit());
    Hook(options, RunPoint::kCommitted, progress.cases_seen);
    progress.actions += summary.outbox - actions_before;
    if (done) ++progress.partitions_done;
    if (options.on_progress) options.on_progress(progress);
    if (done) return OkStatus();
  }
}

}  // namespace

std::string MessageKey(const std::string& case_number, const std::string& strategy_id,
                       const std::string& step_id, Date due) {
  std::string key;
  key.reserve(case_number.size() + strategy_id.size() + step_id.size() + 14);
  key += case_number;
  key += '/';
  key += strategy_id;
  key += '/';
  key += step_id;
  key += '/';
  key += due.ToString();
  return key;
}

Result<std::int64_t> SyncCollectionRows(CaseStore& store, Clock& clock, const StrategyBook& book,
                                        int batch_size) {
  (void)clock;
  std::int64_t written = 0;
  ClientId after_client(0);
  CaseId after_case(0);
  while (true) {
    QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
    QUITT_ASSIGN_OR_RETURN(auto candidates,
                           store.ListCollectionCandidates(after_client, after_case, batch_size));
    WriteBatch batch;
    batch.collection_rows.reserve(candidates.size());
    for (const CollectionCandidate& c : candidates) {
      if (!c.has_row && IsFresh(c.summary)) {
        batch.collection_rows.push_back(
            BuildFreshCollectionRow(c.summary, c.customer, c.repeat_customer, book));
        continue;
      }
      QUITT_ASSIGN_OR_RETURN(auto history, store.LoadHistory(c.summary.client, c.summary.id));
      std::vector<domain::CaseEvent> events;
      events.reserve(history.size());
      for (const auto& stored : history) {
        auto event = domain::Unseal(stored);
        if (!event) return event.error().WithContext("case " + c.summary.case_number);
        events.push_back(std::move(*event));
      }
      const domain::CaseState state = domain::Fold(events);
      batch.collection_rows.push_back(
          BuildCollectionRow(state, c.customer, c.repeat_customer, book));
    }
    QUITT_RETURN_IF_ERROR(store.Write(batch));
    QUITT_RETURN_IF_ERROR(transaction->Commit());
    written += static_cast<std::int64_t>(candidates.size());
    if (static_cast<int>(candidates.size()) < batch_size) return written;
    after_client = candidates.back().summary.client;
    after_case = candidates.back().summary.id;
  }
}

Result<RunSummary> RunDay(CaseStore& store, Clock& clock, const StrategyBook& book,
                          const RunOptions& options) {
  if (options.partitions < 1 || options.partitions > 4096) {
    return InvalidArgument("partitions must be between 1 and 4096, not " +
                           std::to_string(options.partitions));
  }
  if (options.batch_cases < 1) return InvalidArgument("batch_cases must be positive");
  RunSummary summary;
  summary.as_of = options.as_of;
  RunProgress progress;
  QUITT_ASSIGN_OR_RETURN(summary.rows_built, SyncCollectionRows(store, clock, book));
  progress.rows_built = summary.rows_built;
  QUITT_ASSIGN_OR_RETURN(summary.partitions, store.PlanRun(options.as_of, options.partitions));
  QUITT_ASSIGN_OR_RETURN(auto planned, store.ListRunPartitions(options.as_of));
  progress.partitions_total = static_cast<int>(planned.size());
  for (const auto& p : planned) progress.partitions_done += p.status == "done" ? 1 : 0;
  if (options.on_progress) options.on_progress(progress);
  while (true) {
    const domain::Timestamp now = clock.Now();
    QUITT_ASSIGN_OR_RETURN(
        auto claimed,
        store.ClaimRunPartition(options.as_of, options.worker, now,
                                now.AddSeconds(options.lease_seconds), options.take_over));
    if (!claimed) break;
    ++summary.partitions_claimed;
    QUITT_RETURN_IF_ERROR(
        RunPartitionBatches(store, clock, book, options, *claimed, summary, progress)
            .WithContext("partition " + std::to_string(claimed->partition) + " of client " +
                         std::to_string(claimed->client.value())));
  }
  QUITT_ASSIGN_OR_RETURN(auto after, store.ListRunPartitions(options.as_of));
  for (const auto& p : after) summary.partitions_pending += p.status == "done" ? 0 : 1;
  return summary;
}

}  // namespace quitt::app
