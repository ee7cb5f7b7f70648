#pragma once
// German default interest (§ 288 BGB): which margin over the base rate applies to a claim, and the
// resulting rate segments from the default date to an as-of date, split at every base-rate change.
//
//   consumer involved, or not a payment for goods/services:  base + 5 points  § 288(1) BGB
//   consumer credit:                                          base + 5 points  § 497(1) BGB
//   business customer, payment for goods/services:            base + 9 points  § 288(2) BGB
//     ... obligation arose on or before 2014-07-28:            base + 8 points  old § 288(2) BGB,
//                                                                    Art. 229 § 34 EGBGB
//   contractual rate (InterestTerms::statutory == false):     that rate        § 288(3) BGB
// The obligation date decides + 8 / + 9. When a claim has none, its invoice date stands in (an
// obligation cannot arise after its invoice, so an invoice up to 2014-07-28 proves the old law).
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "domain/claim.h"
#include "domain/jurisdiction/de/base_rate.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/party.h"

namespace quitt::domain::de {

// The last day on which an obligation falls under the old + 8 rule (Art. 229 § 34 EGBGB).
Date OldLawLastObligationDay();

// A statutory rule: base rate + margin_bp, or a fixed contractual rate.
struct InterestRule {
  bool contractual = false;
  std::int32_t margin_bp = 0;      // statutory: points over the base rate
  std::int32_t fixed_rate_bp = 0;  // contractual: the rate itself
  LegalBasis basis;
};

InterestRule DefaultInterestRule(const Claim& claim, CustomerKind customer_kind);

// Segments covering every day of [from, to] (inclusive, from <= to). Statutory rates split at every
// half-year of `table` (also unchanged ones, so each line names its table row); a contractual rate
// is one segment. Fails, naming the day, when a base rate is missing, unless
// options.allow_unpublished_base_rate carries the last known rate forward (marked provisional).
Result<std::vector<RateSegment>> DefaultInterestSegments(const BaseRateTable& table,
                                                         const Claim& claim,
                                                         CustomerKind customer_kind, Date from,
                                                         Date to, const InterestOptions& options);

}  // namespace quitt::domain::de
