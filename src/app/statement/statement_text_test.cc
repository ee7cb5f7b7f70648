#include "app/statement/statement_text.h"

#include <gtest/gtest.h>

#include "app/statement/example_statement_test_util.h"

namespace quitt::app {
namespace {

using testing_example::Example;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(StatementText, ShowsEveryFigureWithItsBasis) {
  std::string text = RenderStatementText(Example());
  EXPECT_TRUE(Contains(text, "STATEMENT OF ACCOUNT as of 31.03.2024")) << text;
  EXPECT_TRUE(Contains(text, "RE-2024-0042 - Delivery of 40 office chairs"));
  EXPECT_TRUE(Contains(text, "in default since 01.02.2024 (payment date fixed by the calendar)"));
  EXPECT_TRUE(Contains(text, "01.02.2024  01.03.2024    30  12,62 %"));
  EXPECT_TRUE(Contains(text, "1.000,00 EUR"));
  EXPECT_TRUE(Contains(text, "10,37 EUR"));
  EXPECT_TRUE(Contains(text, "02.03.2024  31.03.2024    30  12,62 %"));
  EXPECT_TRUE(Contains(text, "955,41 EUR"));
  EXPECT_TRUE(Contains(text, "Flat default fee"));
  EXPECT_TRUE(Contains(text, "-40,00 EUR"));
  EXPECT_TRUE(Contains(text, "Collection fee"));
  EXPECT_TRUE(Contains(text, "79,20 EUR"));
  EXPECT_TRUE(Contains(text, "value 1.000,00 EUR, rate 0,9"));
  EXPECT_TRUE(Contains(text, "table: RVG § 13 table 2021-01-01: value up to 1.000,00 EUR"));
  EXPECT_TRUE(Contains(text, "payment BANK-1"));
  EXPECT_TRUE(Contains(text, "-> RE-2024-0042   costs"));
  EXPECT_TRUE(Contains(text, "95,04 EUR"));
  EXPECT_TRUE(Contains(text, "TOTAL DUE"));
  EXPECT_TRUE(Contains(text, "965,32 EUR"));
  EXPECT_TRUE(Contains(text, "Limitation: the claim can be enforced until 31.12.2027"));
  EXPECT_TRUE(Contains(text, "§ 288(2) BGB"));
  EXPECT_TRUE(Contains(text, "§ 367(1) BGB"));
  EXPECT_TRUE(Contains(text, "§ 288(5) S.3 BGB"));
  EXPECT_TRUE(Contains(text, "Nr. 7002 VV RVG"));
  EXPECT_TRUE(Contains(text, "https://"));
  EXPECT_FALSE(Contains(text, "debtor"));
  EXPECT_FALSE(Contains(text, "Debtor"));
}

TEST(StatementText, EverySourceMarkIsListed) {
  std::string text = RenderStatementText(Example());
  int highest = 0;
  for (std::size_t at = text.find('['); at != std::string::npos; at = text.find('[', at + 1)) {
    std::size_t close = text.find(']', at);
    std::string inner = text.substr(at + 1, close - at - 1);
    if (!inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos) {
      highest = std::max(highest, std::stoi(inner));
    }
  }
  ASSERT_GT(highest, 5);
  std::string sources = text.substr(text.find("Legal basis and sources"));
  for (int i = 1; i <= highest; ++i) {
    EXPECT_TRUE(Contains(sources, "  [" + std::to_string(i) + "] ")) << i;
  }
}

}  // namespace
}  // namespace quitt::app
