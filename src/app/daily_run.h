#pragma once
// The daily run (`quitt run --as-of DATE`): for every open case, decide with its strategy what is
// due on DATE, record it in the case history and queue each outgoing action in the outbox.
//
// How it stays exact under crashes, re-runs and several workers:
//  * Every case is decided from its collection row (app/case_facts.h), never by folding its
//    history. The events, the outbox messages, the new row and the partition cursor of a batch of
//    cases are written in ONE transaction, and the batch's rows are read inside it. A case is
//    therefore either fully done or untouched; deciding it again on the same date finds nothing
//    due (workflow::ApplyDecision), so a re-run after a crash (kill -9 at any point) or of a
//    finished date records nothing twice. Outbox keys are stable, a second line of defence.
//  * Before deciding, rows that are missing (new cases) or behind their history (a note, a
//    payment, a new claim) are rebuilt from the history (SyncCollectionRows).
//  * The run of a date is split per client into partitions (case id modulo N) in run_partitions;
//    workers claim them atomically. A worker that dies leaves its partition "running" until its
//    lease ends; another worker then takes it over from the committed cursor.
//  * A skipped day is caught up: the decision takes every step that fell due in the gap, once,
//    each recorded with its own due date.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "app/case_facts.h"
#include "app/ports.h"

namespace quitt::app {

// Points where a test (or QUITT_RUN_CRASH_AFTER in the CLI) can make the process die.
enum class RunPoint {
  kCaseDecided,   // inside a batch transaction, after a case's events were built
  kBatchWritten,  // inside the transaction, after the batch was written, before COMMIT
  kCommitted,     // right after a batch committed
};

struct RunProgress {
  std::int64_t cases_seen = 0;
  std::int64_t actions = 0;
  int partitions_done = 0;
  int partitions_total = 0;
  std::int64_t rows_built = 0;
};

struct RunOptions {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  int partitions = 4;  // used when this date's run is planned; an existing plan keeps its count
  std::string worker = "worker";  // recorded on the partitions it claims
  std::string actor = "system:daily-run";
  int batch_cases = 4000;  // cases per transaction
  std::int64_t lease_seconds = 300;
  bool take_over = false;  // claim partitions still marked running (their worker is known dead)
  std::function<void(const RunProgress&)> on_progress;
  // Crash injection: called at each RunPoint with the number of cases this worker decided so far.
  std::function<void(RunPoint, std::int64_t)> fault_hook;
};

struct RunSummary {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  int partitions = 0;           // of the run of this date
  int partitions_claimed = 0;   // by this worker
  int partitions_pending = 0;   // left for other workers when this one stopped (0 normally)
  std::int64_t rows_built = 0;  // collection rows built or rebuilt from histories
  std::int64_t cases_seen = 0;  // decided by this worker
  std::int64_t cases_changed = 0;
  std::int64_t events = 0;
  std::int64_t outbox = 0;
  std::int64_t no_strategy = 0;  // rows whose strategy is not loaded (skipped, reported)
  std::map<std::string, std::int64_t> actions;   // by action kind: letter, email, call, ...
  std::map<std::string, std::int64_t> outcomes;  // variant_assigned, promise_broken, ...
};

// Builds or rebuilds the collection rows that are missing or behind their history, in batches,
// each in its own transaction. Returns the number of rows written.
Result<std::int64_t> SyncCollectionRows(CaseStore& store, Clock& clock, const StrategyBook& book,
                                        int batch = 2000);

// The daily run of `options.as_of` by one worker: sync rows, plan the partitions (first worker),
// then claim and run partitions until none is left.
Result<RunSummary> RunDay(CaseStore& store, Clock& clock, const StrategyBook& book,
                          const RunOptions& options);

// The stable outbox key of a step: "<case number>/<strategy id>/<step id>/<due date>".
std::string MessageKey(const std::string& case_number, const std::string& strategy_id,
                       const std::string& step_id, domain::Date due);

}  // namespace quitt::app
