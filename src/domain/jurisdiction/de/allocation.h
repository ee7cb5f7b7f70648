#pragma once
// German allocation of payments (reference § 2):
//   across claims: § 366(1) BGB the customer's designation; then an order agreed with the client;
//     then § 366(2) BGB: the due claim first, then the less secured, then the more burdensome
//     (higher running interest rate), then the older (earlier due date, then invoice date); claims
//     equal in all of these share the payment pro rata to what is open on them;
//   within a claim: § 367(1) BGB costs, then interest, then principal; for consumer credit
//     § 497(3) BGB costs, then principal, then default interest.
// Each part names the rule that put it there. sum(parts) + surplus == amount, always.
#include <vector>

#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::domain::de {

PaymentAllocation GermanAllocatePayment(const AllocationRequest& request,
                                        const std::vector<OpenClaim>& open);

}  // namespace quitt::domain::de
