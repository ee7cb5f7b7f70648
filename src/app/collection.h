#pragma once
// What an agent (or later the customer, within the strategy's bounds) changes on a case's
// collection: promises to pay, payment plans, disputes and hardship. Each use case appends its
// events, the case summary and the collection row in one transaction, so the daily run sees the
// change at once (the row is due for a fresh decision on the next run).
#include <string>
#include <vector>

#include "app/case_facts.h"
#include "app/ports.h"
#include "workflow/payment_plan.h"

namespace quitt::app {

struct CollectionContext {
  CaseStore& store;
  Clock& clock;
  const StrategyBook& book;
  std::string actor;  // "user:anna"
};

// A promise to pay `amount` (in the case's currency, positive, at most the open balance) by `due`
// (not before `today`). FailedPrecondition when the case is closed, disputed, in hardship or
// already has a promise or plan running.
Result<CaseSummary> PromiseToPay(const CollectionContext& context, const std::string& case_number,
                                 domain::Money amount, domain::Date due, domain::Date today);

struct PlanResult {
  CaseSummary summary;
  workflow::PaymentPlan plan{domain::Money::Zero(domain::Currency::Eur()), {}, {}};
  // Why the plan is outside the strategy's bounds for plans (empty when within them).
  std::vector<std::string> outside_limits;
};

// A payment plan over the open balance: `count` instalments from `first` on, split exactly. A plan
// outside the strategy's [plans] bounds is refused (FailedPrecondition listing the reasons) unless
// `allow_outside_limits` (an agent's decision).
Result<PlanResult> AgreePaymentPlan(const CollectionContext& context,
                                    const std::string& case_number, int count, domain::Date first,
                                    workflow::Rhythm rhythm, domain::Date today,
                                    bool allow_outside_limits);

// Disputes and hardship stop escalation at once (the next run takes no step).
Result<CaseSummary> RaiseDispute(const CollectionContext& context, const std::string& case_number,
                                 const std::string& reason, domain::Date today);
Result<CaseSummary> FlagHardship(const CollectionContext& context, const std::string& case_number,
                                 const std::string& reason, domain::Date today);
// Lifts an open dispute and/or hardship flag on `today`; the ladder resumes with the next step,
// its wait counted from `today` (workflow::ResumeAfterPause). FailedPrecondition when neither is
// open.
Result<CaseSummary> ResolvePause(const CollectionContext& context, const std::string& case_number,
                                 const std::string& remark, domain::Date today);

// `quitt strategy explain CASE`: the case's strategy, variant and step, why, and what follows.
Result<std::string> ExplainCase(CaseStore& store, const StrategyBook& book,
                                const std::string& case_number, domain::Date as_of);

// The collection row of a case rebuilt from its history (what the run's row must equal).
Result<CollectionRow> CollectionRowFromHistory(CaseStore& store, const StrategyBook& book,
                                               const std::string& case_number);

}  // namespace quitt::app
