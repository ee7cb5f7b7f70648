#include "workflow/decide.h"

#include <algorithm>

#include "common/check.h"

namespace quitt::workflow {

namespace {

// A loop in the ladder advances at least one day per round (checked at load time), and a run
// stops at its date; this bound only guards against a bug turning into an endless run.
constexpr int kMaxStepsPerDecision = 10000;

// The step that follows `index` when it yields nothing; -1 when none does.
int NextAfter(const std::vector<Step>& steps, int index) {
  if (index < 0) return 0;
  const Step& step = steps[index];
  switch (step.on_no_result) {
    case NoResult::kNext: return index + 1;
    case NoResult::kGoto: return step.goto_index;
    case NoResult::kStop: return -1;
  }
  return -1;
}

std::string StepName(const Strategy& strategy, int variant, int index) {
  const auto& steps = strategy.variants()[variant].steps;
  if (index < 0 || index >= static_cast<int>(steps.size())) return "(none)";
  const Step& step = steps[index];
  std::string text = "'" + step.id + "' (" + ActionKindName(step.action);
  if (!step.template_name.empty()) text += " " + step.template_name;
  return text + ")";
}

std::string Days(std::int32_t days) {
  return std::to_string(days) + (days == 1 || days == -1 ? " day" : " days");
}

std::string MoneyText(const domain::Money& money) {
  return money.ToDecimalString() + " " + std::string(money.currency().code());
}

std::string ChannelsText(ChannelSet channels) {
  std::string text;
  for (Channel c : {kChannelPost, kChannelEmail, kChannelMobile, kChannelPhone}) {
    if ((channels & c) != 0) text += (text.empty() ? "" : ", ") + std::string(ChannelName(c));
  }
  return text.empty() ? "no channel" : text;
}

}  // namespace

const char* CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kWaiting: return "waiting";
    case CaseStatus::kNothingOwed: return "nothing_owed";
    case CaseStatus::kDisputed: return "disputed";
    case CaseStatus::kHardship: return "hardship";
    case CaseStatus::kPromisePending: return "promise_pending";
    case CaseStatus::kPlanPending: return "plan_pending";
    case CaseStatus::kEndOfLadder: return "end_of_ladder";
    case CaseStatus::kClosedByAction: return "closed_by_action";
  }
  return "?";
}

void Decision::Clear() {
  variant = 0;
  variant_assigned = false;
  actions.clear();
  current_step = -1;
  current_step_on = domain::Date::FromDaysSinceEpoch(0);
  status = CaseStatus::kWaiting;
  next_step = -1;
  next_due = domain::Date::FromDaysSinceEpoch(0);
  arrangement_outcome = ArrangementOutcome::kNone;
  arrangement_outcome_on = domain::Date::FromDaysSinceEpoch(0);
  resume = PendingResume{};
  reasons.clear();
}

ConditionFailure CheckConditions(const Strategy& strategy, const Step& step, const CaseFacts& facts,
                                 domain::Date on) {
  const StepConditions& when = step.when;
  if (when.customer_kind && *when.customer_kind != facts.customer_kind) {
    return ConditionFailure::kCustomerKind;
  }
  if (!when.countries.empty() && std::find(when.countries.begin(), when.countries.end(),
                                           facts.country) == when.countries.end()) {
    return ConditionFailure::kCountry;
  }
  if (when.min_balance_minor || when.max_balance_minor) {
    if (!(facts.balance.currency() == strategy.currency())) return ConditionFailure::kCurrency;
    const std::int64_t balance = facts.balance.minor_units();
    if (when.min_balance_minor && balance < *when.min_balance_minor) {
      return ConditionFailure::kBalanceBelow;
    }
    if (when.max_balance_minor && balance > *when.max_balance_minor) {
      return ConditionFailure::kBalanceAbove;
    }
  }
  if (when.min_days_overdue || when.max_days_overdue) {
    const std::int32_t days = facts.overdue_since.DaysUntil(on);
    if (when.min_days_overdue && days < *when.min_days_overdue) {
      return ConditionFailure::kDaysOverdueBelow;
    }
    if (when.max_days_overdue && days > *when.max_days_overdue) {
      return ConditionFailure::kDaysOverdueAbove;
    }
  }
  if (when.history == CustomerHistory::kFirstCase && facts.repeat_customer) {
    return ConditionFailure::kNotFirstCase;
  }
  if (when.history == CustomerHistory::kRepeat && !facts.repeat_customer) {
    return ConditionFailure::kNotRepeat;
  }
  const ChannelSet missing = when.requires_channels & static_cast<ChannelSet>(~facts.channels);
  if (missing != 0) {
    if (missing & kChannelPost) return ConditionFailure::kNoPost;
    if (missing & kChannelEmail) return ConditionFailure::kNoEmail;
    if (missing & kChannelMobile) return ConditionFailure::kNoMobile;
    return ConditionFailure::kNoPhone;
  }
  return ConditionFailure::kNone;
}

PendingResume ResumeAfterPause(const Strategy& strategy, const CaseFacts& facts,
                               domain::Date resumed_on) {
  int variant = facts.variant;
  if (variant < 0 || variant >= static_cast<int>(strategy.variants().size())) {
    variant = strategy.AssignVariant(facts.case_id);
  }
  const auto& steps = strategy.variants()[variant].steps;
  const int next = NextAfter(steps, facts.current_step);
  if (next < 0 || next >= static_cast<int>(steps.size())) return PendingResume{};
  return PendingResume{static_cast<std::int16_t>(next), resumed_on.AddDays(steps[next].wait_days)};
}

void Decide(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of, Decision* out) {
  out->Clear();
  int variant = facts.variant;
  if (variant < 0 || variant >= static_cast<int>(strategy.variants().size())) {
    variant = strategy.AssignVariant(facts.case_id);
    out->variant_assigned = true;
    out->reasons.push_back(
        Reason{ReasonCode::kVariantAssigned, ConditionFailure::kNone, -1, as_of, variant});
  }
  out->variant = static_cast<std::int16_t>(variant);
  const Variant& v = strategy.variants()[variant];
  const std::vector<Step>& steps = v.steps;
  const int step_count = static_cast<int>(steps.size());
  out->current_step = facts.current_step;
  out->current_step_on = facts.current_step_on;
  out->resume = facts.resume;

  // A recorded step or resume point the ladder no longer has (the strategy file changed under a
  // running case): nothing is guessed, a person decides.
  if (facts.current_step >= step_count || facts.resume.step >= step_count) {
    out->status = CaseStatus::kEndOfLadder;
    out->reasons.push_back(
        Reason{ReasonCode::kEndOfLadder, ConditionFailure::kNone, -1, facts.current_step_on, 0});
    return;
  }
  if (facts.current_step >= 0 && IsFinalAction(steps[facts.current_step].action)) {
    out->status = CaseStatus::kClosedByAction;
    out->reasons.push_back(Reason{ReasonCode::kFinalActionTaken, ConditionFailure::kNone,
                                  facts.current_step, facts.current_step_on, 0});
    return;
  }
  if (!facts.balance.is_positive()) {
    out->status = CaseStatus::kNothingOwed;
    out->reasons.push_back(Reason{ReasonCode::kNothingOwed});
    return;
  }
  // Disputes and hardship stop before anything else: no step, no cost, whatever else is due.
  if (facts.disputed) {
    out->status = CaseStatus::kDisputed;
    out->reasons.push_back(Reason{ReasonCode::kDisputed});
    return;
  }
  if (facts.hardship) {
    out->status = CaseStatus::kHardship;
    out->reasons.push_back(Reason{ReasonCode::kHardship});
    return;
  }

  PendingResume resume = facts.resume;
  const ArrangementFacts& arrangement = facts.arrangement;
  if (arrangement.kind != ArrangementKind::kNone) {
    const bool promise = arrangement.kind == ArrangementKind::kPromise;
    if (arrangement.fully_paid) {
      // Kept to the end but money is still owed (a partial promise): the ladder goes on after
      // the agreed end, with the next step's normal waiting time.
      out->arrangement_outcome = ArrangementOutcome::kCompleted;
      out->arrangement_outcome_on = arrangement.ends_on;
      CaseFacts after = facts;
      after.variant = static_cast<std::int16_t>(variant);
      resume = ResumeAfterPause(strategy, after, arrangement.ends_on);
      out->reasons.push_back(Reason{ReasonCode::kArrangementCompleted, ConditionFailure::kNone,
                                    resume.step, arrangement.ends_on, promise ? 1 : 0});
    } else {
      const std::int32_t grace =
          promise ? strategy.limits().promise_grace_days : strategy.limits().plan_grace_days;
      const domain::Date broken_on = arrangement.next_unpaid_due.AddDays(grace + 1);
      if (as_of < broken_on) {
        out->status = promise ? CaseStatus::kPromisePending : CaseStatus::kPlanPending;
        out->next_due = broken_on;
        out->reasons.push_back(
            Reason{promise ? ReasonCode::kPromisePending : ReasonCode::kPlanPending,
                   ConditionFailure::kNone, -1, arrangement.next_unpaid_due, grace});
        return;
      }
      int resume_index = promise ? v.promise_resume_index : v.plan_resume_index;
      if (resume_index < 0) resume_index = NextAfter(steps, facts.current_step);
      out->arrangement_outcome = ArrangementOutcome::kBroken;
      out->arrangement_outcome_on = broken_on;
      resume = resume_index >= 0 && resume_index < step_count
                   ? PendingResume{static_cast<std::int16_t>(resume_index), broken_on}
                   : PendingResume{};
      out->reasons.push_back(Reason{promise ? ReasonCode::kPromiseBroken : ReasonCode::kPlanBroken,
                                    ConditionFailure::kNone,
                                    static_cast<std::int16_t>(resume_index), broken_on, grace});
    }
    out->resume = resume;
  }

  int candidate;
  domain::Date base = facts.handed_over;
  bool resume_due = false;  // the candidate is the pending resume step, due on resume.due
  if (resume.step >= 0) {
    candidate = resume.step;
    base = resume.due;
    resume_due = true;
  } else if (facts.current_step < 0) {
    candidate = 0;
  } else {
    candidate = NextAfter(steps, facts.current_step);
    base = facts.current_step_on;
  }
  int last_taken = facts.current_step;

  for (int guard = 0; guard < kMaxStepsPerDecision; ++guard) {
    if (candidate < 0 || candidate >= step_count) {
      out->status = CaseStatus::kEndOfLadder;
      const bool stopped = last_taken >= 0 && steps[last_taken].on_no_result == NoResult::kStop;
      out->reasons.push_back(Reason{stopped ? ReasonCode::kStoppedByStep : ReasonCode::kEndOfLadder,
                                    ConditionFailure::kNone, static_cast<std::int16_t>(last_taken),
                                    base, 0});
      return;
    }
    const Step& step = steps[candidate];
    const domain::Date due = resume_due ? base : base.AddDays(step.wait_days);
    const ConditionFailure failure = CheckConditions(strategy, step, facts, due);
    if (failure != ConditionFailure::kNone) {
      out->reasons.push_back(
          Reason{ReasonCode::kStepSkipped, failure, static_cast<std::int16_t>(candidate), due, 0});
      // Skipped steps add no waiting time: the next one counts from the same base.
      ++candidate;
      resume_due = false;
      continue;
    }
    const bool from_hand_over = last_taken < 0 && resume.step < 0;
    if (due > as_of) {
      out->status = CaseStatus::kWaiting;
      out->next_step = static_cast<std::int16_t>(candidate);
      out->next_due = due;
      out->reasons.push_back(Reason{ReasonCode::kNextStep, ConditionFailure::kNone,
                                    static_cast<std::int16_t>(candidate), due,
                                    resume_due ? -1 : step.wait_days, from_hand_over});
      return;
    }
    out->actions.push_back(DueAction{static_cast<std::int16_t>(candidate), &step, due});
    out->reasons.push_back(Reason{ReasonCode::kStepTaken, ConditionFailure::kNone,
                                  static_cast<std::int16_t>(candidate), due,
                                  resume_due ? -1 : step.wait_days, from_hand_over});
    out->current_step = static_cast<std::int16_t>(candidate);
    out->current_step_on = due;
    out->resume = PendingResume{};
    resume_due = false;
    base = due;
    last_taken = candidate;
    if (IsFinalAction(step.action)) {
      out->status = CaseStatus::kClosedByAction;
      return;
    }
    if (step.on_no_result == NoResult::kStop) {
      out->status = CaseStatus::kEndOfLadder;
      out->reasons.push_back(Reason{ReasonCode::kStoppedByStep, ConditionFailure::kNone,
                                    static_cast<std::int16_t>(candidate), due, 0});
      return;
    }
    candidate = NextAfter(steps, candidate);
  }
  QUITT_CHECK(false && "strategy loop without progress; the loader should have refused it");
}

Decision Decide(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of) {
  Decision decision;
  Decide(strategy, facts, as_of, &decision);
  return decision;
}

void ApplyDecision(const Decision& decision, CaseFacts* facts) {
  facts->variant = decision.variant;
  facts->current_step = decision.current_step;
  facts->current_step_on = decision.current_step_on;
  facts->resume = decision.resume;
  if (decision.arrangement_outcome != ArrangementOutcome::kNone) {
    facts->arrangement = ArrangementFacts{};
  }
}

std::string DescribeCondition(ConditionFailure failure) {
  switch (failure) {
    case ConditionFailure::kNone: return "all conditions hold";
    case ConditionFailure::kCustomerKind: return "it is for another kind of customer";
    case ConditionFailure::kCountry: return "it is not for the customer's country";
    case ConditionFailure::kCurrency: return "the balance is in another currency than the strategy";
    case ConditionFailure::kBalanceBelow: return "the open balance is below its minimum";
    case ConditionFailure::kBalanceAbove: return "the open balance is above its maximum";
    case ConditionFailure::kDaysOverdueBelow: return "the claim is not yet overdue long enough";
    case ConditionFailure::kDaysOverdueAbove: return "the claim is overdue longer than it allows";
    case ConditionFailure::kNotFirstCase: return "it is for first-time customers only";
    case ConditionFailure::kNotRepeat: return "it is for repeat customers only";
    case ConditionFailure::kNoPost: return "there is no postal address";
    case ConditionFailure::kNoEmail: return "there is no e-mail address";
    case ConditionFailure::kNoMobile: return "there is no mobile number for SMS";
    case ConditionFailure::kNoPhone: return "there is no phone number";
  }
  return "?";
}

std::string DescribeReason(const Strategy& strategy, int variant, const CaseFacts& facts,
                           const Reason& r) {
  const std::string step = StepName(strategy, variant, r.step);
  const std::string date = r.date.ToString();
  switch (r.code) {
    case ReasonCode::kVariantAssigned: {
      const Variant& v = strategy.variants()[r.value];
      return "the case was assigned to variant '" + v.name + "' (" +
             std::to_string(v.share_percent) + " % of cases) by the stable hash of its id";
    }
    case ReasonCode::kFinalActionTaken:
      return "step " + step + " ended the collection on " + date + "; nothing follows it";
    case ReasonCode::kNothingOwed:
      return "nothing is owed (open balance " + MoneyText(facts.balance) + "), so no step is taken";
    case ReasonCode::kDisputed:
      return "the customer disputes the claim: escalation and costs stop until the dispute is "
             "resolved";
    case ReasonCode::kHardship:
      return "the customer is marked as a hardship case: escalation and costs stop until the flag "
             "is lifted";
    case ReasonCode::kPromisePending:
      return "the customer promised to pay by " + date +
             "; escalation pauses and resumes only if "
             "the money is not in by " +
             r.date.AddDays(r.value).ToString() + " (" + Days(r.value) + " of grace)";
    case ReasonCode::kPlanPending:
      return "a payment plan is being kept; the next instalment is due on " + date +
             " and counts as missed only if unpaid by " + r.date.AddDays(r.value).ToString() +
             " (" + Days(r.value) + " of grace)";
    case ReasonCode::kPromiseBroken:
      return "the promise to pay was not kept within " + Days(r.value) +
             " of grace and counts as broken on " + date + "; the strategy resumes at step " + step;
    case ReasonCode::kPlanBroken:
      return "an instalment of the payment plan was missed (" + Days(r.value) +
             " of grace) and the plan counts as broken on " + date +
             "; the strategy resumes at step " + step;
    case ReasonCode::kArrangementCompleted:
      return std::string(r.value == 1 ? "the promise to pay" : "the payment plan") +
             " was kept in full by " + date + " but " + MoneyText(facts.balance) +
             " is still open; the strategy continues with step " + step;
    case ReasonCode::kStepSkipped:
      return "step " + step + " is skipped because " + DescribeCondition(r.failure);
    case ReasonCode::kStepTaken:
      if (r.value < 0)
        return "step " + step + " was due on " + date + " (where the strategy resumed)";
      return "step " + step + " was due on " + date + ", " + Days(r.value) + " after " +
             (r.from_hand_over ? "the hand-over" : "the previous action");
    case ReasonCode::kNextStep:
      return "next: step " + step + " on " + date + " (" +
             (r.value < 0 ? std::string("where the strategy resumes")
                          : Days(r.value) + " after " +
                                (r.from_hand_over ? "the hand-over" : "the previous action")) +
             "), unless the customer pays, promises to pay or disputes before";
    case ReasonCode::kEndOfLadder:
      return "no further step of the strategy applies: the case waits for a person to decide";
    case ReasonCode::kStoppedByStep:
      return "step " + step +
             " ends the strategy (on_no_result = stop): the case waits for a "
             "person to decide";
  }
  return "?";
}

std::vector<std::string> DescribeReasons(const Strategy& strategy, const CaseFacts& facts,
                                         const Decision& decision) {
  std::vector<std::string> texts;
  texts.reserve(decision.reasons.size());
  for (const Reason& r : decision.reasons) {
    texts.push_back(DescribeReason(strategy, decision.variant, facts, r));
  }
  return texts;
}

std::string Explain(const Strategy& strategy, const CaseFacts& facts, domain::Date as_of) {
  Decision decision;
  Decide(strategy, facts, as_of, &decision);
  const int variant = decision.variant;
  const Variant& v = strategy.variants()[variant];
  std::string text = "Case " + std::to_string(facts.case_id) + " follows strategy '" +
                     strategy.id() + "' version " + std::to_string(strategy.version());
  if (!strategy.name().empty()) text += " (" + strategy.name() + ")";
  text += ", variant '" + v.name + "'.\n";
  text +=
      "The customer is a " + std::string(domain::CustomerKindName(facts.customer_kind)) + " in " +
      (facts.country ? UnpackCountry(facts.country) : std::string("an unknown country")) +
      (facts.repeat_customer ? ", a repeat customer" : ", on a first case") + ", reachable by " +
      ChannelsText(facts.channels) + ". Open balance " + MoneyText(facts.balance) + ", " +
      Days(facts.overdue_since.DaysUntil(as_of)) + " overdue on " + as_of.ToString() +
      ", handed over on " + facts.handed_over.ToString() + ".\n";
  if (facts.current_step >= 0) {
    text += "Its last step was " + StepName(strategy, variant, facts.current_step) + ", due on " +
            facts.current_step_on.ToString() + ".\n";
  } else {
    text += "No step has been taken yet.\n";
  }
  text += "On " + as_of.ToString() + ":\n";
  for (const std::string& reason : DescribeReasons(strategy, facts, decision)) {
    text += "  - " + reason + "\n";
  }
  if (decision.status == CaseStatus::kWaiting) {
    // What the ladder holds if nothing changes: decide once far ahead from the state after today.
    CaseFacts after = facts;
    ApplyDecision(decision, &after);
    Decision ahead;
    Decide(strategy, after, decision.next_due.AddYears(3), &ahead);
    if (!ahead.actions.empty()) {
      text += "If nothing changes, these steps follow:\n";
      for (const DueAction& a : ahead.actions) {
        text += "  " + a.due.ToString() + "  " + StepName(strategy, variant, a.step) + "\n";
      }
    }
  }
  return text;
}

}  // namespace quitt::workflow
