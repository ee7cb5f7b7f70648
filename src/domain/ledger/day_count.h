#pragma once
// Day counting and the interest of one line. See docs/ledger.md for the conventions.
//
// A line covers the days [from, to], both inclusive: interest runs from the first day of default
// and the day of a payment still bears interest on the old principal (reference § 1.4).
//   act/365: days = calendar days, year = 365 (also in leap years, § 191 BGB).
//   act/act: days = calendar days, year = 366 in leap years; the line must lie in one year.
//   30/360 : each month counts 30 days, the year 360 (dunning courts' calculator). Counted as the
//            difference of day serials 360·y + 30·(m−1) + (d−1) between `to + 1 day` and `from`,
//            so splitting a line never changes the total: the 31st counts 0 days and the last
//            day of February counts the rest of a 30-day month (28.02. = 3 days, 29.02. = 2).
//
// Interest = principal × rate_bp × days / (10 000 × year_days), computed exactly in 128-bit
// integers and rounded once per line toward zero (RoundingMode::kDown): the customer is never
// charged a fraction of a cent that is not owed (§ 13e RDG spirit: not one cent too much), and
// the loss per line is below one cent.
#include <cstdint>

#include "domain/date.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/money.h"

namespace quitt::domain {

struct DayFraction {
  std::int32_t days = 0;
  std::int32_t year_days = 365;
};

DayFraction CountDays(Date from, Date to, DayCount convention);

Money LineInterest(Money principal, std::int32_t rate_bp, DayFraction fraction);

}  // namespace quitt::domain
