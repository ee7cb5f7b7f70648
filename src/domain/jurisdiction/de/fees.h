#pragma once
// German collection costs as versioned data plus small functions (reference § 3):
//   - the RVG § 13 fee table (1.0 fee) in the versions of 2021-01-01 and 2025-06-01, chosen by the
//     date the work was done (§ 60(1) RVG ties it to the mandate; the ledger uses the work date);
//   - the low-value rule § 13(2) RVG for undisputed claims up to EUR 50 (from 2021-10-01);
//   - Nr. 2300 VV RVG business fee rates (0.5 / 0.9 / 1.3, in tenths), Nr. 1000 Nr. 2 VV settlement
//     fee for payment plans on 50 % of the value (§ 31b RVG), Nr. 7002 expenses (20 %, max EUR 20),
//     Nr. 7008 VAT (only when the client cannot deduct it), the EUR 15 minimum fee (§ 13(3) RVG);
//   - the cap of § 13e RDG: an agency's fee is recoverable only up to the lawyer's RVG fee;
//   - the EUR 40 flat fee of § 288(5) BGB for business customers.
// Fees round to the nearest cent, half a cent up (§ 2(2) S.2 RVG).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/money.h"

namespace quitt::domain::de {

// One bracket of § 13(1) RVG: up to `up_to` (inclusive), each started `step` adds `increment`.
struct RvgBracket {
  std::int64_t up_to_cents;  // INT64_MAX for the open last bracket
  std::int64_t step_cents;
  std::int64_t increment_cents;
};

struct RvgTableVersion {
  const char* name;  // "RVG § 13 table 2021-01-01"
  Date valid_from = Date::FromDaysSinceEpoch(0);
  std::optional<Date> valid_until;  // inclusive
  std::int64_t base_cents = 0;      // 1.0 fee for a value up to EUR 500
  std::vector<RvgBracket> brackets;
  const char* source;
};

// The two versions, oldest first.
const std::vector<RvgTableVersion>& RvgTables();
// The version in force on `work_date`; fails before 2021-01-01 (older tables are not kept).
Result<const RvgTableVersion*> RvgTableOn(Date work_date);

// A 1.0 fee looked up in a table, with the row it came from.
struct TableFee {
  Money fee = Money::Zero(Currency::Eur());
  Money row_up_to = Money::Zero(Currency::Eur());  // the "value up to" of the table row
  std::string row;                                 // human-readable row
  LegalBasis basis;
};

// The 1.0 fee of § 13(1) RVG for `value` (EUR, > 0) on `work_date`.
Result<TableFee> RvgFullFee(Money value, Date work_date);

// The § 13(2) RVG 1.0 fee for an undisputed claim of at most EUR 50 when `work_date` is on or after
// 2021-10-01, else nothing. From 2025-06-01 sources disagree (31.50 vs 30.50, reference § 3.3 ⚠):
// `fee_from_2025_cents` picks one (3150 by default in GermanyOptions).
std::optional<TableFee> RvgLowValueFee(Money value, Date work_date,
                                       std::int64_t fee_from_2025_cents);

// The date the 2021 collection-cost reform took effect (Nr. 2300 Anm. Abs. 2, § 13(2), § 31b RVG).
Date InkassoReformDate();

// Nr. 2300 VV RVG rate in tenths for the course of the collection on `work_date`.
struct FeeRate {
  std::int32_t tenths = 0;
  LegalBasis basis;
};
FeeRate BusinessFeeRate(CollectionCourse course, Date work_date);

// A fee = rate × 1.0 fee, half-up to the cent, at least EUR 15 (§ 13(3) RVG).
Money ApplyRate(Money full_fee, std::int32_t tenths);

// Nr. 7002 VV RVG: total expense flat rate for fees totalling `fees` in one matter.
Money ExpenseFlatRate(Money fees);

// VAT (Nr. 7008 VV RVG, § 12(1) UStG 19 %) on `net`, half-up.
Money Vat(Money net, Date work_date);

struct GermanFeeOptions {
  std::int64_t low_value_fee_2025_cents = 3150;  // ⚠ reference § 3.3: 31.50 (NWB) or 30.50 (DRV)
  bool expenses_flat_rate = true;                // charge Nr. 7002 with each fee
};

// The cost lines of one fee event: the fee (capped by § 13e RDG), the expense delta and VAT.
Result<std::vector<FeeLine>> GermanFeeLines(const FeeEvent& event, const FeeContext& context,
                                            const GermanFeeOptions& options);

}  // namespace quitt::domain::de
