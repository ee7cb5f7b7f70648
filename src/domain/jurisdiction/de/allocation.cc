#include "domain/jurisdiction/de/allocation.h"

#include <algorithm>
#include <tuple>

#include "common/check.h"

namespace quitt::domain::de {
namespace {

struct Tier {
  std::vector<std::size_t> members;  // indices into `open`
  LegalBasis basis;
};

const LegalBasis kDesignation{"§ 366(1) BGB: the customer's designation",
                              "https://www.gesetze-im-internet.de/bgb/__366.html"};
const LegalBasis kAgreed{"order agreed with the client", "client instruction"};
const LegalBasis kStatutoryOrder{
    "§ 366(2) BGB: due claims first, then the less secured, the more burdensome, the older",
    "https://www.gesetze-im-internet.de/bgb/__366.html"};
const LegalBasis kProRata{"§ 366(2) BGB: equal claims share pro rata",
                          "https://www.gesetze-im-internet.de/bgb/__366.html"};

// Pays `amount` (<= claim total) into the claim's buckets in the order of its law.
Money PayIntoClaim(const OpenClaim& claim, Money amount, const LegalBasis& order_basis,
                   std::vector<AllocationPart>& parts) {
  std::vector<std::pair<Bucket, Money>> buckets;
  LegalBasis within;
  if (claim.consumer_credit) {
    buckets = {{Bucket::kCosts, claim.costs},
               {Bucket::kPrincipal, claim.principal},
               {Bucket::kInterest, claim.interest}};
    within = {"§ 497(3) BGB: consumer credit, costs, then principal, then default interest",
              "https://www.gesetze-im-internet.de/bgb/__497.html"};
  } else {
    buckets = {{Bucket::kCosts, claim.costs},
               {Bucket::kInterest, claim.interest},
               {Bucket::kPrincipal, claim.principal}};
    within = {"§ 367(1) BGB: costs, then interest, then principal",
              "https://www.gesetze-im-internet.de/bgb/__367.html"};
  }
  for (const auto& [bucket, open] : buckets) {
    if (!amount.is_positive()) break;
    if (!open.is_positive()) continue;
    Money take = Min(amount, open);
    parts.push_back(
        {claim.claim,
         bucket,
         take,
         {order_basis.rule + "; " + within.rule, order_basis.source + "; " + within.source}});
    amount -= take;
  }
  return amount;
}

}  // namespace

PaymentAllocation GermanAllocatePayment(const AllocationRequest& request,
                                        const std::vector<OpenClaim>& open) {
  QUITT_CHECK(!request.amount.is_negative());
  PaymentAllocation out;
  out.payment_ref = request.payment_ref;
  out.date = request.date;
  out.amount = request.amount;
  out.surplus = Money::Zero(request.amount.currency());

  std::vector<bool> placed(open.size(), false);
  std::vector<Tier> tiers;
  auto place_list = [&](const std::vector<ClaimId>& ids, const LegalBasis& basis) {
    for (const ClaimId& id : ids) {
      for (std::size_t i = 0; i < open.size(); ++i) {
        if (!placed[i] && open[i].claim == id) {
          placed[i] = true;
          tiers.push_back({{i}, basis});
        }
      }
    }
  };
  place_list(request.customer_designation, kDesignation);
  place_list(request.agreed_order, kAgreed);

  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (!placed[i]) rest.push_back(i);
  }
  // Smaller key = paid earlier.
  auto key = [&](std::size_t i) {
    const OpenClaim& c = open[i];
    const bool due = c.due_date <= request.date;
    return std::make_tuple(due ? 0 : 1, c.security_rank,
                           -static_cast<std::int64_t>(c.running_rate_bp), c.due_date,
                           c.invoice_date);
  };
  std::stable_sort(rest.begin(), rest.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  for (std::size_t k = 0; k < rest.size();) {
    Tier tier{{rest[k]}, kStatutoryOrder};
    std::size_t j = k + 1;
    while (j < rest.size() && key(rest[j]) == key(rest[k])) tier.members.push_back(rest[j++]);
    if (tier.members.size() > 1) tier.basis = kProRata;
    tiers.push_back(tier);
    k = j;
  }

  Money remaining = request.amount;
  for (const Tier& tier : tiers) {
    if (!remaining.is_positive()) break;
    Money tier_total = Money::Zero(remaining.currency());
    for (std::size_t i : tier.members) tier_total += open[i].Total();
    if (!tier_total.is_positive()) continue;
    if (remaining >= tier_total || tier.members.size() == 1) {
      for (std::size_t i : tier.members) {
        Money take = Min(remaining, open[i].Total());
        Money left = PayIntoClaim(open[i], take, tier.basis, out.parts);
        QUITT_CHECK(left.is_zero());
        remaining -= take;
      }
      continue;
    }
    std::vector<std::int64_t> weights;
    for (std::size_t i : tier.members) weights.push_back(open[i].Total().minor_units());
    std::vector<Money> shares = remaining.Allocate(weights);
    for (std::size_t m = 0; m < tier.members.size(); ++m) {
      Money left = PayIntoClaim(open[tier.members[m]], shares[m], tier.basis, out.parts);
      QUITT_CHECK(left.is_zero());
    }
    remaining = Money::Zero(remaining.currency());
  }
  out.surplus = remaining;
  return out;
}

}  // namespace quitt::domain::de
