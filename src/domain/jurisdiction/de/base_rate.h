#pragma once
// The German base rate (Basiszinssatz, § 247 BGB) as versioned data: one row per half-year from
// 2002-01-01, also for half-years in which it did not change, so a missing half-year is
// detectable. Rates are integer basis points and may be negative (−88 bp from 2016-07-01); they
// are never clamped at zero, because § 247 BGB and § 288 BGB know no floor (reference § 1.2).
//
// Source of every row: shared/reference/german-collection-law.md § 1.3 (Bundesbank series BBIN1
// M.DE.BBK.BBKBAS2.EUR.ME plus the commentary and press sources named per row).
#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "domain/date.h"

namespace quitt::domain::de {

struct BaseRateRow {
  Date valid_from = Date::FromDaysSinceEpoch(0);
  std::int32_t rate_bp = 0;
  bool changed = true;       // false: same rate as the half-year before, row kept for completeness
  const char* sources = "";  // source keys of reference § 1.3 and press links
};

// An ordered table of base rates. The built-in one covers 2002-01-01 .. 2026-06-30; later
// rates are added with Add() once the Bundesbank publishes them (each 1 January and 1 July).
class BaseRateTable {
 public:
  // The table of reference § 1.3: 49 rows, 2002-01-01 .. 2026-01-01.
  static const BaseRateTable& Builtin();

  // Rows must start on 1 January or 1 July and follow the last row by exactly one half-year.
  Status Add(const BaseRateRow& row);

  const std::vector<BaseRateRow>& rows() const { return rows_; }
  // The first day after the last row's half-year: from here on no rate is known.
  Date known_until_exclusive() const;

  // The row in force on `day`, or nullopt before 2002-01-01 or after the last known half-year.
  std::optional<BaseRateRow> RowOn(Date day) const;

 private:
  std::vector<BaseRateRow> rows_;
};

}  // namespace quitt::domain::de
