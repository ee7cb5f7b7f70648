#include "app/demo_data.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace quitt::app {
namespace {

std::set<std::string> References(const DemoOptions& options, std::set<std::string>* customers) {
  auto source = MakeDemoSource(options);
  std::set<std::string> claims;
  IntakeRow row;
  while (*source->Next(row)) {
    claims.insert(row.claim.client_ref);
    customers->insert(row.customer.customer_ref);
  }
  return claims;
}

TEST(DemoDataTest, SameSeedGivesTheSameRows) {
  std::set<std::string> customers_a, customers_b;
  DemoOptions options;
  options.cases = 200;
  options.today = *domain::Date::Parse("2026-03-02");
  EXPECT_EQ(References(options, &customers_a), References(options, &customers_b));
  EXPECT_EQ(customers_a, customers_b);
  EXPECT_EQ(customers_a.size(), 200u);
}

TEST(DemoDataTest, BatchesWithSeparateFirstNumbersShareNoReference) {
  DemoOptions first;
  first.cases = 300;
  first.today = *domain::Date::Parse("2026-03-02");
  DemoOptions second = first;
  second.today = first.today.AddDays(1);
  second.first_number = 1000;
  std::set<std::string> customers_a, customers_b;
  const auto claims_a = References(first, &customers_a);
  const auto claims_b = References(second, &customers_b);
  for (const auto& ref : claims_b) EXPECT_EQ(claims_a.count(ref), 0u) << ref;
  for (const auto& ref : customers_b) EXPECT_EQ(customers_a.count(ref), 0u) << ref;
  EXPECT_EQ(customers_b.count("K101001"), 1u);
}

}  // namespace
}  // namespace quitt::app
