#pragma once
// Germany as a Jurisdiction: the rules of de/*.h behind the common interface.
#include <memory>

#include "domain/jurisdiction/de/base_rate.h"
#include "domain/jurisdiction/de/fees.h"
#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::domain::de {

struct GermanyOptions {
  GermanFeeOptions fees;
};

class Germany final : public Jurisdiction {
 public:
  // Uses the built-in base-rate table.
  explicit Germany(GermanyOptions options = {});
  // Uses `table` (e.g. the built-in one extended by rates published later).
  Germany(BaseRateTable table, GermanyOptions options);

  std::string_view CountryCode() const override { return "DE"; }
  Result<std::vector<RateSegment>> InterestRates(const Claim& claim, CustomerKind customer_kind,
                                                 Date from, Date to,
                                                 const InterestOptions& options) const override;
  // EUR 40 (§ 288(5) S.1 BGB) when the customer is a business, the claim is a payment for goods or
  // services in default, and the obligation arose after 2014-07-28 (Art. 229 § 34 EGBGB).
  std::optional<FeeLine> FlatDefaultFee(const Claim& claim,
                                        CustomerKind customer_kind) const override;
  // § 288(5) S.3 BGB: the flat fee is credited against costs of legal pursuit.
  bool FlatFeeIsCredited() const override { return true; }
  Result<std::vector<FeeLine>> ChargeFee(const FeeEvent& event,
                                         const FeeContext& context) const override;
  PaymentAllocation AllocatePayment(const AllocationRequest& request,
                                    const std::vector<OpenClaim>& open) const override;
  LimitationInfo Limitation(const LimitationInput& input, Date as_of) const override;

  const BaseRateTable& base_rates() const { return table_; }

 private:
  BaseRateTable table_;
  GermanyOptions options_;
};

}  // namespace quitt::domain::de
