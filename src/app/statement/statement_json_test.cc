#include "app/statement/statement_json.h"

#include <gtest/gtest.h>

#include "app/statement/example_statement_test_util.h"

namespace quitt::app {
namespace {

using domain::Statement;
using testing_example::Example;

TEST(StatementJson, MoneyIsDecimalStringWithCurrency) {
  nlohmann::json j = StatementToJson(Example());
  EXPECT_EQ(j["country"], "DE");
  EXPECT_EQ(j["as_of"], "2024-03-31");
  EXPECT_EQ(j["day_count"], "act/365");
  EXPECT_EQ(j["totals"]["due"]["amount"], "965.32");
  EXPECT_EQ(j["totals"]["due"]["currency"], "EUR");
  EXPECT_EQ(j["totals"]["paid"]["amount"], "150.00");
  const auto& claim = j["claims"][0];
  EXPECT_EQ(claim["claim_id"], 7);
  EXPECT_EQ(claim["default_date"], "2024-02-01");
  ASSERT_EQ(claim["interest_lines"].size(), 2u);
  EXPECT_EQ(claim["interest_lines"][0]["rate_bp"], 1262);
  EXPECT_EQ(claim["interest_lines"][0]["rate_percent"], "12.62");
  EXPECT_EQ(claim["interest_lines"][0]["base_rate_bp"], 362);
  EXPECT_EQ(claim["interest_lines"][0]["interest"]["amount"], "10.37");
  EXPECT_EQ(claim["interest_lines"][1]["principal"]["amount"], "955.41");
  EXPECT_EQ(claim["open"]["total"]["amount"], "965.32");
  EXPECT_EQ(claim["limitation"]["expires"], "2027-12-31");
  EXPECT_EQ(j["collection_costs"][0]["kind"], "business_fee");
  EXPECT_EQ(j["collection_costs"][0]["rate_tenths"], 9);
  EXPECT_TRUE(j["collection_costs"][0]["table_row"].is_string());
  EXPECT_FALSE(j["collection_costs"][0]["legal_basis"]["source"].get<std::string>().empty());
}

TEST(StatementJson, AllocationPayloadListsEveryPart) {
  Statement s = Example();
  nlohmann::json a = AllocationToJson(s.payments[0]);
  EXPECT_EQ(a["payment_ref"], "BANK-1");
  EXPECT_EQ(a["date"], "2024-03-01");
  ASSERT_EQ(a["parts"].size(), 3u);
  EXPECT_EQ(a["parts"][0]["bucket"], "costs");
  EXPECT_EQ(a["parts"][0]["amount"]["amount"], "95.04");
  EXPECT_EQ(a["parts"][1]["bucket"], "interest");
  EXPECT_EQ(a["parts"][2]["bucket"], "principal");
  EXPECT_EQ(a["parts"][2]["amount"]["amount"], "44.59");
  EXPECT_EQ(a["surplus"]["amount"], "0.00");
  std::string text = RenderStatementJson(s);
  EXPECT_EQ(nlohmann::json::parse(text), StatementToJson(s));
}

}  // namespace
}  // namespace quitt::app
