#include "workflow/strategy.h"

#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace quitt::workflow {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string ReadShipped(const std::string& name) {
  std::ifstream in(std::string(QUITT_SOURCE_DIR) + "/strategies/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

constexpr const char* kMinimal = R"(
[strategy]
id = "mini"
version = 2
currency = "EUR"

[[step]]
id = "letter_1"
action = "letter"
template = "t1"
wait_days = 0

[[step]]
id = "call"
action = "call"
wait_days = 7
on_no_result = "goto:call"
)";

TEST(StrategyTest, LoadsMinimalStrategy) {
  auto s = LoadStrategy(kMinimal, "mini.toml");
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->id(), "mini");
  EXPECT_EQ(s->version(), 2);
  EXPECT_EQ(s->source(), "mini.toml");
  ASSERT_THAT(s->variants(), SizeIs(1));
  const Variant& v = s->variants()[0];
  EXPECT_EQ(v.name, "default");
  EXPECT_EQ(v.share_percent, 100);
  ASSERT_THAT(v.steps, SizeIs(2));
  EXPECT_EQ(v.steps[0].action, ActionKind::kLetter);
  EXPECT_EQ(v.steps[0].template_name, "t1");
  EXPECT_EQ(v.steps[0].line, 7);
  EXPECT_EQ(v.steps[0].when.requires_channels, kChannelPost);
  EXPECT_EQ(v.steps[1].on_no_result, NoResult::kGoto);
  EXPECT_EQ(v.steps[1].goto_index, 1);
  EXPECT_EQ(v.steps[1].when.requires_channels, kChannelPhone);
  EXPECT_EQ(v.promise_resume_index, -1);
  EXPECT_EQ(s->limits().plan_min_instalment, domain::Money::Zero(domain::Currency::Eur()));
}

TEST(StrategyTest, ShippedDefaultsLoadAndKeepThirtyDays) {
  for (const char* name : {"de-b2c.toml", "de-b2b.toml"}) {
    const std::string text = ReadShipped(name);
    auto s = LoadStrategy(text, name);
    ASSERT_TRUE(s.ok()) << s.error().message();
    EXPECT_EQ(s->pre_court_max_days(), 30) << name;
    EXPECT_GE(s->FindStep(0, "final_notice"), 0) << name;
    EXPECT_EQ(s->variants()[0].promise_resume_index, s->FindStep(0, "final_notice"));
    EXPECT_TRUE(CheckStrategy(text, name).empty());
  }
}

TEST(StrategyTest, ReportsEveryProblemAtOnceWithLines) {
  constexpr const char* kBad = R"([strategy]
id = "Bad Id"
version = 0
currency = "XXY"
colour = "blue"

[plans]
min_instalment = 25.0
resume_at = "nowhere"

[[step]]
id = "a"
action = "letterr"
wait_days = -1

[[step]]
id = "a"
action = "email"
wait_days = 3
on_no_result = "goto:zzz"
when.customer = "sometimes"
when.min_balance = "10.00"
when.max_balance = "5.00"
)";
  const auto problems = CheckStrategy(kBad, "bad.toml");
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  EXPECT_THAT(all, HasSubstr("bad.toml:2: [strategy]: id 'Bad Id'"));
  EXPECT_THAT(all, HasSubstr("bad.toml:3: [strategy]: 'version' = 0 is outside"));
  EXPECT_THAT(all, HasSubstr("bad.toml:4: [strategy]: currency: unknown currency 'XXY'"));
  EXPECT_THAT(all, HasSubstr("bad.toml:5: unknown key 'colour' in [strategy]"));
  EXPECT_THAT(
      all,
      HasSubstr("bad.toml:8: [plans]: 'min_instalment' must be an amount written as a string"));
  EXPECT_THAT(all, HasSubstr("bad.toml:9: [plans]: resume_at 'nowhere' is not a step"));
  EXPECT_THAT(all, HasSubstr("bad.toml:13: step 'a': unknown action 'letterr'"));
  EXPECT_THAT(all, HasSubstr("bad.toml:14: step 'a': 'wait_days' = -1 is outside"));
  EXPECT_THAT(all, HasSubstr("step id 'a' is used twice"));
  EXPECT_THAT(all, HasSubstr("step 'a': missing 'template'"));
  EXPECT_THAT(all, HasSubstr("on_no_result goes to step 'zzz', which does not exist"));
  EXPECT_THAT(all, HasSubstr("bad.toml:21: step 'a' when: customer must be \"first_case\""));
  EXPECT_THAT(all, HasSubstr("bad.toml:23: step 'a' when: min_balance is above max_balance"));
  EXPECT_GE(problems.size(), 13u);
  for (std::size_t i = 1; i < problems.size(); ++i) {
    EXPECT_LE(problems[i - 1].line, problems[i].line) << "sorted by line";
  }

  auto loaded = LoadStrategy(kBad, "bad.toml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.error().message(),
              HasSubstr(std::to_string(problems.size()) + " problems in strategy:"));
}

TEST(StrategyTest, SyntaxErrorNamesLine) {
  const auto problems = CheckStrategy("[strategy]\nid = \"x\"\nversion = = 3\n", "s.toml");
  ASSERT_THAT(problems, SizeIs(1));
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_EQ(problems[0].source, "s.toml");
}

TEST(StrategyTest, MissingPartsAreReported) {
  const auto problems = CheckStrategy("title = 1\n", "empty.toml");
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  EXPECT_THAT(all, HasSubstr("missing table [strategy]"));
  EXPECT_THAT(all, HasSubstr("no steps"));
  EXPECT_THAT(all, HasSubstr("unknown key 'title'"));
}

constexpr const char* kVariants = R"(
[strategy]
id = "ab"
version = 1

[promises]
resume_at = "b"

[[variant]]
name = "champion"
share = 70
  [[variant.step]]
  id = "a"
  action = "letter"
  template = "t"
  wait_days = 0
  [[variant.step]]
  id = "b"
  action = "letter"
  template = "t2"
  wait_days = 10

[[variant]]
name = "challenger"
share = 30
  [[variant.step]]
  id = "b"
  action = "sms"
  template = "s"
  wait_days = 0
)";

TEST(StrategyTest, VariantsResolvePerVariant) {
  auto s = LoadStrategy(kVariants, "ab.toml");
  ASSERT_TRUE(s.ok()) << s.error().message();
  ASSERT_THAT(s->variants(), SizeIs(2));
  EXPECT_EQ(s->FindVariant("challenger"), 1);
  EXPECT_EQ(s->FindVariant("nope"), -1);
  EXPECT_EQ(s->variants()[0].promise_resume_index, 1);
  EXPECT_EQ(s->variants()[1].promise_resume_index, 0);
}

TEST(StrategyTest, VariantAssignmentIsStableAndFollowsShares) {
  auto s = LoadStrategy(kVariants, "ab.toml");
  ASSERT_TRUE(s.ok());
  int counts[2] = {0, 0};
  for (std::int64_t id = 1; id <= 100000; ++id) {
    const int v = s->AssignVariant(id);
    ASSERT_TRUE(v == 0 || v == 1);
    ++counts[v];
    if (id <= 100) {
      EXPECT_EQ(v, s->AssignVariant(id));
    }
  }
  EXPECT_NEAR(counts[0], 70000, 1000);
  EXPECT_NEAR(counts[1], 30000, 1000);
  // Pinned values: a change of the hash would move running cases between variants.
  EXPECT_EQ(StableHash64("", 0), 0xf52a15e9a9b5e89bULL);
  EXPECT_EQ(StableHash64("de-b2c", 0), 0x33e3503876884c5dULL);
  const int pinned[] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  for (int id = 1; id <= 10; ++id) EXPECT_EQ(s->AssignVariant(id), pinned[id - 1]) << id;
  EXPECT_NE(StableHash64("de-b2c", 0), StableHash64("de-b2b", 0));
}

TEST(StrategyTest, SharesMustAddUpToHundred) {
  std::string text = kVariants;
  text.replace(text.find("share = 30"), 10, "share = 20");
  const auto problems = CheckStrategy(text, "ab.toml");
  ASSERT_THAT(problems, SizeIs(1));
  EXPECT_THAT(problems[0].reason, HasSubstr("add up to 90 %"));
}

TEST(StrategyTest, LoopWithoutWaitIsRefused) {
  constexpr const char* kLoop = R"(
[strategy]
id = "loop"
version = 1
[[step]]
id = "a"
action = "call"
wait_days = 0
[[step]]
id = "b"
action = "call"
wait_days = 2
on_no_result = "goto:a"
)";
  const auto problems = CheckStrategy(kLoop, "loop.toml");
  ASSERT_THAT(problems, SizeIs(1));
  EXPECT_EQ(problems[0].line, 13);
  EXPECT_THAT(problems[0].reason, HasSubstr("step 'a' in that loop waits 0 days"));
}

TEST(StrategyTest, PreCourtPhaseLimitIsChecked) {
  constexpr const char* kSlow = R"(
[strategy]
id = "slow"
version = 1
pre_court_max_days = 30
[[step]]
id = "a"
action = "letter"
template = "t"
wait_days = 20
[[step]]
id = "b"
action = "letter"
template = "t"
wait_days = 15
when.customer = "first_case"
[[step]]
id = "court"
action = "court_dunning"
wait_days = 5
)";
  const auto problems = CheckStrategy(kSlow, "slow.toml");
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  // Only first cases pass step b: 40 days for them, 25 for repeat customers.
  EXPECT_THAT(all, HasSubstr("for first-case consumer customers the pre-court phase can last 40"));
  EXPECT_THAT(all, HasSubstr("for first-case business customers"));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("repeat")));
}

TEST(StrategyTest, CountriesChannelsAndBands) {
  constexpr const char* kWhen = R"(
[strategy]
id = "w"
version = 1
[[step]]
id = "a"
action = "letter"
template = "t"
wait_days = 0
when = { countries = ["DE", "AT"], requires = ["email", "post"], min_balance = "10.00", max_balance = "99.99", min_days_overdue = 5, customer_kind = "business" }
[[step]]
id = "b"
action = "sms"
template = "t"
wait_days = 0
when = { countries = ["de"], requires = ["fax"] }
)";
  const auto problems = CheckStrategy(kWhen, "w.toml");
  ASSERT_THAT(problems, SizeIs(2));
  EXPECT_THAT(problems[0].reason, HasSubstr("two-letter ISO 3166 code"));
  EXPECT_THAT(problems[1].reason, HasSubstr("\"post\", \"email\""));
  std::string fixed = kWhen;
  fixed.replace(fixed.find("[\"de\"]"), 6, "[\"CH\"]");
  fixed.replace(fixed.find("[\"fax\"]"), 7, "[\"mobile\"]");
  auto s = LoadStrategy(fixed, "w.toml");
  ASSERT_TRUE(s.ok()) << s.error().message();
  const StepConditions& when = s->variants()[0].steps[0].when;
  EXPECT_EQ(when.countries, (std::vector<CountryCode>{PackCountry("DE"), PackCountry("AT")}));
  EXPECT_EQ(when.requires_channels, kChannelEmail | kChannelPost);
  EXPECT_EQ(*when.min_balance_minor, 1000);
  EXPECT_EQ(*when.max_balance_minor, 9999);
  EXPECT_EQ(*when.min_days_overdue, 5);
  EXPECT_EQ(*when.customer_kind, domain::CustomerKind::kBusiness);
  EXPECT_EQ(UnpackCountry(PackCountry("AT")), "AT");
}

TEST(StrategyTest, ActionNamesRoundTrip) {
  for (int i = 0; i < kActionKindCount; ++i) {
    const auto kind = static_cast<ActionKind>(i);
    EXPECT_EQ(ParseActionKind(ActionKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseActionKind("fax").has_value());
  EXPECT_TRUE(IsFinalAction(ActionKind::kWriteOff));
  EXPECT_FALSE(IsFinalAction(ActionKind::kCourtDunning));
}

}  // namespace
}  // namespace quitt::workflow
