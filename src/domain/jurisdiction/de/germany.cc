#include "domain/jurisdiction/de/germany.h"

#include "domain/jurisdiction/de/allocation.h"
#include "domain/jurisdiction/de/interest_rules.h"
#include "domain/jurisdiction/de/limitation.h"

namespace quitt::domain::de {

Germany::Germany(GermanyOptions options) : table_(BaseRateTable::Builtin()), options_(options) {}

Germany::Germany(BaseRateTable table, GermanyOptions options)
    : table_(std::move(table)), options_(options) {}

Result<std::vector<RateSegment>> Germany::InterestRates(const Claim& claim,
                                                        CustomerKind customer_kind, Date from,
                                                        Date to,
                                                        const InterestOptions& options) const {
  return DefaultInterestSegments(table_, claim, customer_kind, from, to, options);
}

std::optional<FeeLine> Germany::FlatDefaultFee(const Claim& claim,
                                               CustomerKind customer_kind) const {
  if (customer_kind != CustomerKind::kBusiness || !claim.interest.remuneration_claim ||
      !claim.default_date || !(claim.principal.currency() == Currency::Eur())) {
    return std::nullopt;
  }
  if (claim.obligation_date.value_or(claim.invoice_date) <= OldLawLastObligationDay()) {
    return std::nullopt;
  }
  FeeLine line;
  line.kind = CostKind::kFlatDefaultFee;
  line.date = *claim.default_date;
  line.amount = Money::FromMinorUnits(4000, Currency::Eur());
  line.basis = {"§ 288(5) S.1 BGB: flat fee for a business customer in default",
                "https://www.gesetze-im-internet.de/bgb/__288.html"};
  return line;
}

Result<std::vector<FeeLine>> Germany::ChargeFee(const FeeEvent& event,
                                                const FeeContext& context) const {
  return GermanFeeLines(event, context, options_.fees);
}

PaymentAllocation Germany::AllocatePayment(const AllocationRequest& request,
                                           const std::vector<OpenClaim>& open) const {
  return GermanAllocatePayment(request, open);
}

LimitationInfo Germany::Limitation(const LimitationInput& input, Date as_of) const {
  return GermanLimitation(input, as_of);
}

}  // namespace quitt::domain::de
