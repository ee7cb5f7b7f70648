#include "domain/ledger/day_count.h"

#include <algorithm>

#include "common/check.h"

namespace quitt::domain {
namespace {

std::int64_t Serial360(Date d) {
  return 360LL * d.year() + 30LL * (d.month() - 1) + std::min(d.day(), 30);
}

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
