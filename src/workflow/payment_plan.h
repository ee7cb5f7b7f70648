#pragma once
// Payment plans (Ratenzahlungsvereinbarung): a total split into instalments on a rhythm.
//
// The split is exact: the instalments sum to the total to the cent, the earlier instalments take
// the odd cents (Money::SplitEvenly), so the last one is the smallest. Whether a plan is within
// what a strategy allows a customer to propose is a business outcome, returned as plain-word
// reasons, not an error: an agent may still agree to it.
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/money.h"
#include "workflow/strategy.h"

namespace quitt::workflow {

enum class Rhythm : std::uint8_t { kWeekly, kFortnightly, kMonthly };
const char* RhythmName(Rhythm rhythm);  // "weekly", "fortnightly", "monthly"
std::optional<Rhythm> ParseRhythm(std::string_view text);
// The due date of instalment `index` (0-based): monthly plans keep the day of the month, clamped
// to short months (31 Jan, 28/29 Feb, 31 Mar).
domain::Date InstalmentDate(domain::Date first, Rhythm rhythm, int index);

struct Instalment {
  domain::Date due;
  domain::Money amount;
};

struct PaymentPlan {
  domain::Money total;
  Rhythm rhythm = Rhythm::kMonthly;
  std::vector<Instalment> instalments;  // in due order; amounts sum to total
};

// Splits `total` (positive) into `count` (1..520) instalments from `first` on. InvalidArgument
// naming the field when the total is not positive, the count is out of range or an instalment
// would be zero.
Result<PaymentPlan> MakePaymentPlan(domain::Money total, int count, domain::Date first,
                                    Rhythm rhythm);

// Why the plan is outside the strategy's bounds for plans the customer proposes (longest plan,
// most instalments, smallest instalment, currency); empty when it is within them.
std::vector<std::string> CheckPlanLimits(const PaymentPlan& plan, const ArrangementLimits& limits);

}  // namespace quitt::workflow
