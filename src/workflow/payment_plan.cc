#include "workflow/payment_plan.h"

namespace quitt::workflow {

const char* RhythmName(Rhythm rhythm) {
  switch (rhythm) {
    case Rhythm::kWeekly: return "weekly";
    case Rhythm::kFortnightly: return "fortnightly";
    case Rhythm::kMonthly: return "monthly";
  }
  return "?";
}

std::optional<Rhythm> ParseRhythm(std::string_view text) {
  if (text == "weekly") return Rhythm::kWeekly;
  if (text == "fortnightly" || text == "biweekly") return Rhythm::kFortnightly;
  if (text == "monthly") return Rhythm::kMonthly;
  return std::nullopt;
}

domain::Date InstalmentDate(domain::Date first, Rhythm rhythm, int index) {
  switch (rhythm) {
    case Rhythm::kWeekly: return first.AddDays(7 * index);
    case Rhythm::kFortnightly: return first.AddDays(14 * index);
    // From the first date each time, not from the previous instalment, so 31 Jan → 29 Feb →
    // 31 Mar instead of drifting to the 29th.
    case Rhythm::kMonthly: return first.AddMonths(index);
  }
  return first;
}

Result<PaymentPlan> MakePaymentPlan(domain::Money total, int count, domain::Date first,
                                    Rhythm rhythm) {
  if (!total.is_positive()) {
    return InvalidArgument("total: a plan needs a positive amount, not " + total.ToDecimalString());
  }
  if (count < 1 || count > 520) {
    return InvalidArgument("instalments: " + std::to_string(count) + " is outside 1..520");
  }
  if (total.minor_units() < count) {
    return InvalidArgument("instalments: " + total.ToDecimalString() + " " +
                           std::string(total.currency().code()) + " cannot be split into " +
                           std::to_string(count) + " instalments of at least one cent");
  }
  PaymentPlan plan{total, rhythm, {}};
  const std::vector<domain::Money> parts = total.SplitEvenly(count);
  plan.instalments.reserve(parts.size());
  for (int i = 0; i < count; ++i) {
    plan.instalments.push_back(Instalment{InstalmentDate(first, rhythm, i), parts[i]});
  }
  return plan;
}

std::vector<std::string> CheckPlanLimits(const PaymentPlan& plan, const ArrangementLimits& limits) {
  std::vector<std::string> reasons;
  if (plan.instalments.empty()) {
    reasons.push_back("the plan has no instalments");
    return reasons;
  }
  const domain::Date first = plan.instalments.front().due;
  const domain::Date last = plan.instalments.back().due;
  if (last >= first.AddMonths(limits.plan_max_months)) {
    reasons.push_back("the last instalment on " + last.ToString() + " is more than " +
                      std::to_string(limits.plan_max_months) +
                      " months after the first; the strategy allows at most " +
                      std::to_string(limits.plan_max_months) + " months");
  }
  if (static_cast<int>(plan.instalments.size()) > limits.plan_max_instalments) {
    reasons.push_back(std::to_string(plan.instalments.size()) +
                      " instalments; the strategy allows at most " +
                      std::to_string(limits.plan_max_instalments));
  }
  const domain::Money& min = limits.plan_min_instalment;
  if (!(plan.total.currency() == min.currency())) {
    reasons.push_back("the plan is in " + std::string(plan.total.currency().code()) +
                      ", the strategy's limits are in " + std::string(min.currency().code()));
    return reasons;
  }
  // The last instalment is the smallest (the earlier ones take the odd cents).
  domain::Money smallest = plan.instalments.front().amount;
  for (const Instalment& i : plan.instalments) smallest = domain::Min(smallest, i.amount);
  if (smallest < min) {
    reasons.push_back("the smallest instalment is " + smallest.ToDecimalString() + " " +
                      std::string(min.currency().code()) + "; the strategy asks for at least " +
                      min.ToDecimalString());
  }
  return reasons;
}

}  // namespace quitt::workflow
