#include "domain/jurisdiction/de/allocation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace quitt::domain::de {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

OpenClaim Open(std::int64_t id, std::int64_t costs, std::int64_t interest, std::int64_t principal,
               Date due) {
  OpenClaim c;
  c.claim = ClaimId(id);
  c.costs = Eur(costs);
  c.interest = Eur(interest);
  c.principal = Eur(principal);
  c.due_date = due;
  c.invoice_date = due.AddDays(-30);
  return c;
}

AllocationRequest Pay(std::int64_t cents, Date date) {
  AllocationRequest r;
  r.payment_ref = "P";
  r.date = date;
  r.amount = Eur(cents);
  return r;
}

// A fresh seed per run, printed so a failure can be replayed with QUITT_TEST_SEED=<seed>.
std::uint32_t TestSeed() {
  if (const char* fixed = std::getenv("QUITT_TEST_SEED")) {
    return static_cast<std::uint32_t>(std::stoul(fixed));
  }
  return std::random_device{}();
}

TEST(GermanAllocation, Section367CostsInterestPrincipal) {
  auto a =
      GermanAllocatePayment(Pay(5000, D(2024, 5, 1)), {Open(1, 2000, 1000, 10000, D(2024, 1, 1))});
  ASSERT_EQ(a.parts.size(), 3u);
  EXPECT_EQ(a.parts[0].bucket, Bucket::kCosts);
  EXPECT_EQ(a.parts[0].amount, Eur(2000));
  EXPECT_EQ(a.parts[1].bucket, Bucket::kInterest);
  EXPECT_EQ(a.parts[1].amount, Eur(1000));
  EXPECT_EQ(a.parts[2].bucket, Bucket::kPrincipal);
  EXPECT_EQ(a.parts[2].amount, Eur(2000));
  EXPECT_NE(a.parts[0].basis.rule.find("§ 367(1) BGB"), std::string::npos);
  EXPECT_TRUE(a.surplus.is_zero());
}

TEST(GermanAllocation, Section497ConsumerCreditPutsInterestLast) {
  OpenClaim c = Open(1, 2000, 1000, 10000, D(2024, 1, 1));
  c.consumer_credit = true;
  auto a = GermanAllocatePayment(Pay(5000, D(2024, 5, 1)), {c});
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[1].bucket, Bucket::kPrincipal);
  EXPECT_EQ(a.parts[1].amount, Eur(3000));
  EXPECT_NE(a.parts[1].basis.rule.find("§ 497(3) BGB"), std::string::npos);
}

TEST(GermanAllocation, Section366DueBeforeNotDueAndOlderFirst) {
  auto a = GermanAllocatePayment(Pay(1500, D(2024, 5, 1)),
                                 {Open(1, 0, 0, 1000, D(2024, 6, 1)),    // not yet due
                                  Open(2, 0, 0, 1000, D(2024, 3, 1)),    // due, younger
                                  Open(3, 0, 0, 1000, D(2024, 2, 1))});  // due, older
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[0].claim, ClaimId(3));
  EXPECT_EQ(a.parts[1].claim, ClaimId(2));
  EXPECT_EQ(a.parts[1].amount, Eur(500));
}

TEST(GermanAllocation, DesignationWinsAndSurplusIsKept) {
  AllocationRequest r = Pay(5000, D(2024, 5, 1));
  r.customer_designation = {ClaimId(2)};
  auto a = GermanAllocatePayment(
      r, {Open(1, 0, 0, 1000, D(2024, 1, 1)), Open(2, 0, 0, 1000, D(2024, 3, 1))});
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[0].claim, ClaimId(2));
  EXPECT_NE(a.parts[0].basis.rule.find("366(1)"), std::string::npos);
  EXPECT_EQ(a.surplus, Eur(3000));
}

// Property: for random open claims and payments, the parts and the surplus add up to the payment
// exactly, no bucket receives more than is open on it, and within a claim a later bucket only
// receives money once the earlier ones are paid in full.
TEST(GermanAllocation, PropertyPartsSumToThePaymentAndRespectTheOrder) {
  const std::uint32_t seed = TestSeed();
  std::printf("GermanAllocation property seed: %u\n", seed);
  std::mt19937 rng(seed);
  auto cents = [&](std::int64_t max) {
    return std::uniform_int_distribution<std::int64_t>(0, max)(rng);
  };
  for (int round = 0; round < 2000; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    std::vector<OpenClaim> open;
    const int n = 1 + static_cast<int>(cents(5));
    for (int i = 0; i < n; ++i) {
      OpenClaim c = Open(i + 1, cents(3) == 0 ? 0 : cents(20000), cents(5000), cents(500000),
                         D(2024, 1, 1).AddDays(static_cast<std::int32_t>(cents(3) * 30)));
      c.security_rank = static_cast<int>(cents(1));
      c.running_rate_bp = static_cast<std::int32_t>(500 + cents(1) * 400);
      c.consumer_credit = cents(4) == 0;
      open.push_back(c);
    }
    AllocationRequest r = Pay(1 + cents(700000), D(2024, 2, 15));
    if (cents(3) == 0) r.customer_designation = {ClaimId(1 + cents(n - 1))};
    if (cents(3) == 0) r.agreed_order = {ClaimId(1 + cents(n - 1))};
    PaymentAllocation a = GermanAllocatePayment(r, open);
    Money sum = a.surplus;
    EXPECT_FALSE(a.surplus.is_negative());
    std::map<std::pair<std::int64_t, int>, Money> got;
    for (const AllocationPart& p : a.parts) {
      EXPECT_TRUE(p.amount.is_positive());
      sum += p.amount;
      auto key = std::make_pair(p.claim.value(), static_cast<int>(p.bucket));
      got.emplace(key, Eur(0)).first->second += p.amount;
    }
    ASSERT_EQ(sum, r.amount);
    Money total_open = Eur(0);
    for (const OpenClaim& c : open) {
      total_open += c.Total();
      auto paid = [&](Bucket b) {
        auto it = got.find({c.claim.value(), static_cast<int>(b)});
        return it == got.end() ? Eur(0) : it->second;
      };
      EXPECT_LE(paid(Bucket::kCosts), c.costs);
      EXPECT_LE(paid(Bucket::kInterest), c.interest);
      EXPECT_LE(paid(Bucket::kPrincipal), c.principal);
      if (c.consumer_credit) {
        if (paid(Bucket::kPrincipal).is_positive()) {
          EXPECT_EQ(paid(Bucket::kCosts), c.costs);
        }
        if (paid(Bucket::kInterest).is_positive()) {
          EXPECT_EQ(paid(Bucket::kPrincipal), c.principal);
        }
      } else {
        if (paid(Bucket::kInterest).is_positive()) {
          EXPECT_EQ(paid(Bucket::kCosts), c.costs);
        }
        if (paid(Bucket::kPrincipal).is_positive()) {
          EXPECT_EQ(paid(Bucket::kInterest), c.interest);
        }
      }
    }
    // A surplus only exists when everything is paid.
    if (a.surplus.is_positive()) {
      EXPECT_EQ(a.surplus, r.amount - total_open);
    }
  }
}

}  // namespace
}  // namespace quitt::domain::de
