#pragma once
// The daily-run decision: given what is known about a case and a date, which strategy steps are
// due, where the case stands afterwards, and why, in plain words.
//
// Pure and allocation-free in the steady state (reuse one Decision per worker), so the daily run
// can decide millions of cases a minute. The app layer builds CaseFacts from the case history,
// calls Decide, records what it returns as case events (steps taken, arrangement broken or
// completed, variant assigned) and writes the actions to the outbox. ApplyDecision shows how those
// events change the facts; deciding again for the same date then returns nothing new.
//
// Timing: a step is due `wait_days` after the date the previous step was due (after hand-over for
// the first step). A step counts as taken on its due date even when the run comes later, so a run
// after skipped days takes each due step once, in order, and the schedule afterwards is exactly the
// one an uninterrupted daily run would have had.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/money.h"
#include "domain/party.h"
#include "workflow/strategy.h"

namespace quitt::workflow {

enum class ArrangementKind : std::uint8_t { kNone, kPromise, kPlan };

// The promise to pay or payment plan currently agreed, as the ledger sees it.
struct ArrangementFacts {
  ArrangementKind kind = ArrangementKind::kNone;
  // Due date of the earliest promise/instalment not yet paid in full.
  domain::Date next_unpaid_due = domain::Date::FromDaysSinceEpoch(0);
  // Every promised amount / instalment is paid; next_unpaid_due is then ignored.
  bool fully_paid = false;
  // Due date of the promise / of the plan's last instalment.
  domain::Date ends_on = domain::Date::FromDaysSinceEpoch(0);
};

// "The ladder resumes at `step`, due on `due`": recorded when a promise or plan ends or a dispute
// is resolved; cleared by the app as soon as any step is taken after it.
struct PendingResume {
  std::int16_t step = -1;  // -1: none pending
  domain::Date due = domain::Date::FromDaysSinceEpoch(0);
};

// What the decision needs to know about one case; 80 bytes, built from the read model.
struct CaseFacts {
  std::int64_t case_id = 0;
  domain::CustomerKind customer_kind = domain::CustomerKind::kConsumer;
  CountryCode country = 0;                                               // PackCountry("DE")
  domain::Money balance = domain::Money::Zero(domain::Currency::Eur());  // open balance
  // Earliest due date of the open claims; days overdue on a date count from it.
  domain::Date overdue_since = domain::Date::FromDaysSinceEpoch(0);
  domain::Date handed_over = domain::Date::FromDaysSinceEpoch(0);
  bool repeat_customer = false;    // the customer had an earlier case with this client
  ChannelSet channels = 0;         // ways the customer can be reached
  bool disputed = false;           // an open dispute: escalation stops at once
  bool hardship = false;           // a hardship flag: escalation stops at once
  std::int16_t variant = -1;       // recorded variant; -1: not assigned yet
  std::int16_t current_step = -1;  // index of the last step taken; -1: none yet
  domain::Date current_step_on = domain::Date::FromDaysSinceEpoch(0);  // its due date
  PendingResume resume;
  ArrangementFacts arrangement;
};

enum class CaseStatus : std::uint8_t {
  kWaiting,         // the next step is due later (Decision::next_step / next_due)
  kNothingOwed,     // open balance is zero or less
  kDisputed,        // stopped by a dispute
  kHardship,        // stopped by a hardship flag
  kPromisePending,  // paused: a promise to pay runs (until next_due)
  kPlanPending,     // paused: a payment plan is kept (until next_due)
  kEndOfLadder,     // no step left or a step says stop: a person decides
  kClosedByAction,  // a hand-back or write-off was taken
};
const char* CaseStatusName(CaseStatus status);  // "waiting", "nothing_owed", ...

enum class ArrangementOutcome : std::uint8_t { kNone, kBroken, kCompleted };

// Why a step does not apply to the case.
enum class ConditionFailure : std::uint8_t {
  kNone,
  kCustomerKind,
  kCountry,
  kCurrency,
  kBalanceBelow,
  kBalanceAbove,
  kDaysOverdueBelow,
  kDaysOverdueAbove,
  kNotFirstCase,
  kNotRepeat,
  kNoPost,
  kNoEmail,
  kNoMobile,
  kNoPhone,
};

enum class ReasonCode : std::uint8_t {
  kVariantAssigned,   // variant chosen by hash now
  kFinalActionTaken,  // `step` (hand-back / write-off) was taken on `date` earlier
  kNothingOwed,
  kDisputed,
  kHardship,
  kPromisePending,        // promise due `date`, broken after `value` days' grace
  kPlanPending,           // instalment due `date`, missed after `value` days' grace
  kPromiseBroken,         // broken on `date`; resumes at `step`
  kPlanBroken,            // missed on `date`; resumes at `step`
  kArrangementCompleted,  // kept in full by `date`; continues at `step`
  kStepSkipped,           // `step` does not apply (`failure`)
  kStepTaken,             // `step` due on `date`
  kNextStep,              // `step` will be due on `date`
  kEndOfLadder,           // no step after `step` applies
  kStoppedByStep,         // `step` says on_no_result = stop
};

struct Reason {
  ReasonCode code;
  ConditionFailure failure = ConditionFailure::kNone;
  std::int16_t step = -1;
  domain::Date date = domain::Date::FromDaysSinceEpoch(0);
  std::int32_t value = 0;
  bool from_hand_over = false;  // kStepTaken/kNextStep: the wait counts from the hand-over
};

struct DueAction {
  std::int16_t step;       // index into the variant's steps
  const Step* definition;  // points into the Strategy, which must outlive the Decision
  domain::Date due;        // the day it became due (the run date may be later, after skipped days)
};

struct Decision {
  std::int16_t variant = 0;
  bool variant_assigned = false;   // record the variant on the case
  std::vector<DueAction> actions;  // in order; several after skipped days
  // Where the case stands after the actions.
  std::int16_t current_step = -1;
  domain::Date current_step_on = domain::Date::FromDaysSinceEpoch(0);
  CaseStatus status = CaseStatus::kWaiting;
  // kWaiting: the step due next and its date; kPromisePending/kPlanPending: the first day the
  // arrangement counts as broken if still unpaid.
  std::int16_t next_step = -1;
  domain::Date next_due = domain::Date::FromDaysSinceEpoch(0);
  // A promise or plan that ended by this date: record it (and `resume`, if still pending).
  ArrangementOutcome arrangement_outcome = ArrangementOutcome::kNone;
  domain::Date arrangement_outcome_on = domain::Date::FromDaysSinceEpoch(0);
  PendingResume resume;  // still pending after the actions; step -1 when none
  std::vector<Reason> reasons;

  // Empties the decision but keeps the vectors' capacity.
  void Clear();
};

// Decides `facts` on `as_of` with `strategy` into `out` (cleared first). Pure; never fails: a
// case the strategy cannot handle ends in kEndOfLadder with a reason.
void Decide(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of, Decision* out);
Decision Decide(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of);

// The facts as they are once the app has recorded `decision` (variant, steps taken, arrangement
// ended, pending resume). Deciding the result again for the same date yields no action.
void ApplyDecision(const Decision& decision, CaseFacts* facts);

// Where the ladder goes on after a pause ends on `resumed_on` (dispute resolved, hardship lifted,
// plan kept in full with money still owed): the step after the current one, due its wait_days
// after `resumed_on`. Recording this avoids a burst of overdue steps on the day after the pause.
PendingResume ResumeAfterPause(const Strategy& strategy, const CaseFacts& facts,
                               domain::Date resumed_on);

// Whether step `step` of the case's variant applies on `on`, and if not, why.
ConditionFailure CheckConditions(const Strategy& strategy, const Step& step, const CaseFacts& facts,
                                 domain::Date on);

// One reason in plain English.
std::string DescribeReason(const Strategy& strategy, int variant, const CaseFacts& facts,
                           const Reason& reason);
std::string DescribeCondition(ConditionFailure failure);
// Every reason of `decision` (made for `facts`) in plain English, in order: what the app records
// with the decision in the case history.
std::vector<std::string> DescribeReasons(const Strategy& strategy, const CaseFacts& facts,
                                         const Decision& decision);

// For `quitt strategy explain CASE`: the case's variant and step, why it is there, what is due on
// `as_of`, and the steps that follow if nothing changes, in plain words over several lines.
std::string Explain(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of);

}  // namespace quitt::workflow
