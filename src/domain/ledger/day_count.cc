#include "domain/ledger/day_count.h"

#include <algorithm>

#include "common/check.h"

namespace quitt::domain {
namespace {

// The start of day `d` on a calendar of twelve 30-day months. The 31st starts where the next
// month's 1st starts, so it counts 0 days; the last day of February runs to day 30.
std::int64_t Serial360(Date d) { return 360LL * d.year() + 30LL * (d.month() - 1) + d.day() - 1; }

}  // namespace

DayFraction CountDays(Date from, Date to, DayCount convention) {
  QUITT_CHECK(from <= to);
  switch (convention) {
    case DayCount::kActual365: return {from.DaysUntil(to) + 1, 365};
    case DayCount::kActualActual:
      QUITT_CHECK(from.year() == to.year());
      return {from.DaysUntil(to) + 1, from.IsLeapYear() ? 366 : 365};
    case DayCount::kThirty360:
      return {static_cast<std::int32_t>(Serial360(to.AddDays(1)) - Serial360(from)), 360};
  }
  return {0, 365};
}

Money LineInterest(Money principal, std::int32_t rate_bp, DayFraction fraction) {
  __int128 numerator = static_cast<__int128>(principal.minor_units()) * rate_bp * fraction.days;
  __int128 denominator = static_cast<__int128>(10000) * fraction.year_days;
  return Money::FromMinorUnits(RoundQuotient(numerator, denominator, RoundingMode::kDown),
                               principal.currency());
}

}  // namespace quitt::domain
