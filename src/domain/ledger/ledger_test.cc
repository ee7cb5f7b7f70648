// Golden tests of the ledger fold: every case of
// tests/golden/ledger/{scenarios,base_rate_cases}.txt is built into a Statement and compared with
// the hand-checked (or independently computed, see make_expected.py) figures.
//
// File format, one directive per line, '#' starts a comment line:
//   case <name>                      starts a case; `end` closes it
//   customer consumer|business
//   as_of <date>
//   option day_count=act/365|act/act|30/360 | vat_deductible=no | low_value_2025=<cents>
//          | agreed_order=<id>,<id> | allow_unpublished=yes
//   claim <id> principal=<amount> invoice=<date> due=<date> [default=<date>] [obligation=<date>]
//          [remuneration=no] [consumer_credit=yes] [contract_bp=<bp>] [client_costs=<amount>]
//          [security=<rank>] [titled=<date>]
//   payment <ref> <date> <amount> [designation=<id>,<id>]
//   fee <ref> <date> business|settlement <course> [charged=<amount>] [value=<amount>]
//   expect line <claim> <from> <to> <days> <rate_bp> <principal> <interest>   (in order per claim)
//   expect lines <claim> <count>
//   expect interest|costs <claim> <amount>
//   expect open <claim> <costs> <interest> <principal>
//   expect fee <index> <kind> <amount>              (collection cost line of the case)
//   expect claim_cost <claim> <index> <kind> <amount>
//   expect alloc <payment> <index> <claim> <bucket> <amount>
//   expect parts <payment> <count>
//   expect surplus <payment> <amount>
//   expect total_due <amount>
//   expect limitation <claim> <date> <state>
#include "domain/ledger/ledger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "common/check.h"
#include "common/text.h"
#include "domain/jurisdiction/de/germany.h"

namespace quitt::domain {
namespace {

struct GoldenCase {
  std::string name;
  std::string file;
  int line = 0;
  std::vector<std::string> directives;  // "<line number>\t<text>"
};

void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.file << ":" << c.line << " " << c.name;
}

std::vector<GoldenCase> LoadCases(const std::string& file) {
  std::ifstream in(std::string(QUITT_SOURCE_DIR) + "/tests/golden/ledger/" + file);
  std::vector<GoldenCase> cases;
  std::string text;
  int number = 0;
  GoldenCase* open = nullptr;
  while (std::getline(in, text)) {
    ++number;
    std::string_view t = Trim(text);
    if (t.empty() || t[0] == '#') continue;
    if (StartsWith(t, "case ")) {
      cases.push_back({std::string(t.substr(5)), file, number, {}});
      open = &cases.back();
    } else if (t == "end") {
      open = nullptr;
    } else if (open) {
      open->directives.push_back(std::to_string(number) + "\t" + std::string(t));
    } else {
      ADD_FAILURE() << file << ":" << number << ": directive outside a case: " << t;
    }
  }
  return cases;
}

Money Eur(const std::string& text) {
  auto m = Money::Parse(text, Currency::Eur());
  QUITT_CHECK(m.ok());
  return *m;
}

Date D(const std::string& text) {
  auto d = Date::Parse(text);
  QUITT_CHECK(d.ok());
  return *d;
}

std::vector<ClaimId> Ids(const std::string& list) {
  std::vector<ClaimId> out;
  for (std::string_view part : Split(list, ','))
    out.push_back(ClaimId(std::stoll(std::string(part))));
  return out;
}

// key=value options after the positional words.
std::map<std::string, std::string> Options(const std::vector<std::string>& words,
                                           std::size_t from) {
  std::map<std::string, std::string> out;
  for (std::size_t i = from; i < words.size(); ++i) {
    auto eq = words[i].find('=');
    QUITT_CHECK(eq != std::string::npos);
    out[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  return out;
}

class LedgerGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(LedgerGolden, MatchesHandCheckedFigures) {
  const GoldenCase& c = GetParam();
  LedgerInput input;
  de::GermanyOptions options;
  std::vector<std::pair<std::string, std::vector<std::string>>> expectations;
  for (const std::string& d : c.directives) {
    auto tab = d.find('\t');
    std::string where = c.file + ":" + d.substr(0, tab);
    std::istringstream words_in(d.substr(tab + 1));
    std::vector<std::string> w;
    for (std::string word; words_in >> word;) w.push_back(word);
    const std::string& verb = w[0];
    if (verb == "customer") {
      input.customer_kind = w[1] == "business" ? CustomerKind::kBusiness : CustomerKind::kConsumer;
    } else if (verb == "as_of") {
      input.as_of = D(w[1]);
    } else if (verb == "option") {
      auto o = Options(w, 1);
      if (o.count("day_count")) input.interest.day_count = *ParseDayCount(o["day_count"]);
      if (o.count("vat_deductible")) input.client_can_deduct_vat = o["vat_deductible"] != "no";
      if (o.count("low_value_2025")) {
        options.fees.low_value_fee_2025_cents = std::stoll(o["low_value_2025"]);
      }
      if (o.count("agreed_order")) input.agreed_order = Ids(o["agreed_order"]);
      if (o.count("allow_unpublished")) input.interest.allow_unpublished_base_rate = true;
    } else if (verb == "claim") {
      auto o = Options(w, 2);
      LedgerClaim lc;
      Claim& cl = lc.claim;
      cl.id = ClaimId(std::stoll(w[1]));
      cl.client_ref = "INV-" + w[1];
      cl.reason = "Invoice " + w[1];
      cl.principal = Eur(o.at("principal"));
      cl.invoice_date = D(o.at("invoice"));
      cl.due_date = D(o.at("due"));
      if (o.count("default")) {
        cl.default_date = D(o["default"]);
        cl.default_basis = DefaultBasis::kCalendarDate;
      }
      if (o.count("obligation")) cl.obligation_date = D(o["obligation"]);
      if (o.count("remuneration")) cl.interest.remuneration_claim = o["remuneration"] != "no";
      if (o.count("consumer_credit")) cl.interest.consumer_credit = o["consumer_credit"] == "yes";
      if (o.count("contract_bp")) {
        cl.interest.statutory = false;
        cl.interest.contractual_rate_bp = std::stoi(o["contract_bp"]);
      }
      if (o.count("client_costs")) cl.client_costs = Eur(o["client_costs"]);
      if (o.count("security")) lc.security_rank = std::stoi(o["security"]);
      if (o.count("titled")) lc.titled = D(o["titled"]);
      input.claims.push_back(lc);
    } else if (verb == "payment") {
      LedgerPayment p;
      p.ref = w[1];
      p.date = D(w[2]);
      p.amount = Eur(w[3]);
      auto o = Options(w, 4);
      if (o.count("designation")) p.customer_designation = Ids(o["designation"]);
      input.payments.push_back(p);
    } else if (verb == "fee") {
      FeeEvent f;
      f.ref = w[1];
      f.date = D(w[2]);
      f.kind = w[3] == "settlement" ? FeeKind::kSettlementFee : FeeKind::kBusinessFee;
      auto course = ParseCollectionCourse(w[4]);
      ASSERT_TRUE(course) << where << ": unknown course " << w[4];
      f.course = *course;
      auto o = Options(w, 5);
      if (o.count("charged")) f.charged = Eur(o["charged"]);
      if (o.count("value")) f.value = Eur(o["value"]);
      input.fees.push_back(f);
    } else if (verb == "expect") {
      expectations.emplace_back(where, std::vector<std::string>(w.begin() + 1, w.end()));
    } else {
      FAIL() << where << ": unknown directive " << verb;
    }
  }
  de::Germany germany(options);
  auto result = BuildStatement(germany, input);
  ASSERT_TRUE(result.ok()) << c.name << ": " << result.error().ToString();
  const Statement& s = *result;
  auto claim = [&](const std::string& id) -> const ClaimStatement& {
    for (const auto& cs : s.claims) {
      if (cs.claim.value() == std::stoll(id)) return cs;
    }
    QUITT_CHECK(false);
    return s.claims.front();
  };
  auto payment = [&](const std::string& ref) -> const PaymentAllocation& {
    for (const auto& p : s.payments) {
      if (p.payment_ref == ref) return p;
    }
    QUITT_CHECK(false);
    return s.payments.front();
  };
  std::map<std::string, std::size_t> next_line;
  for (const auto& [where, e] : expectations) {
    SCOPED_TRACE(where + " (" + c.name + ")");
    const std::string& what = e[0];
    if (what == "line") {
      const ClaimStatement& cs = claim(e[1]);
      std::size_t k = next_line[e[1]]++;
      ASSERT_LT(k, cs.interest_lines.size());
      const InterestLine& l = cs.interest_lines[k];
      EXPECT_EQ(l.from, D(e[2]));
      EXPECT_EQ(l.to, D(e[3]));
      EXPECT_EQ(l.days, std::stoi(e[4]));
      EXPECT_EQ(l.rate_bp, std::stoi(e[5]));
      EXPECT_EQ(l.principal, Eur(e[6]));
      EXPECT_EQ(l.interest, Eur(e[7])) << l.interest.ToDecimalString();
    } else if (what == "lines") {
      EXPECT_EQ(claim(e[1]).interest_lines.size(), std::stoul(e[2]));
    } else if (what == "interest") {
      EXPECT_EQ(claim(e[1]).interest, Eur(e[2])) << claim(e[1]).interest.ToDecimalString();
    } else if (what == "costs") {
      EXPECT_EQ(claim(e[1]).costs, Eur(e[2])) << claim(e[1]).costs.ToDecimalString();
    } else if (what == "open") {
      const ClaimStatement& cs = claim(e[1]);
      EXPECT_EQ(cs.open_costs, Eur(e[2])) << cs.open_costs.ToDecimalString();
      EXPECT_EQ(cs.open_interest, Eur(e[3])) << cs.open_interest.ToDecimalString();
      EXPECT_EQ(cs.open_principal, Eur(e[4])) << cs.open_principal.ToDecimalString();
    } else if (what == "fee") {
      std::size_t k = std::stoul(e[1]);
      ASSERT_LT(k, s.collection_costs.size());
      EXPECT_EQ(CostKindName(s.collection_costs[k].kind), e[2]);
      EXPECT_EQ(s.collection_costs[k].amount, Eur(e[3]))
          << s.collection_costs[k].amount.ToDecimalString();
    } else if (what == "claim_cost") {
      const ClaimStatement& cs = claim(e[1]);
      std::size_t k = std::stoul(e[2]);
      ASSERT_LT(k, cs.claim_costs.size());
      EXPECT_EQ(CostKindName(cs.claim_costs[k].kind), e[3]);
      EXPECT_EQ(cs.claim_costs[k].amount, Eur(e[4]));
    } else if (what == "alloc") {
      const PaymentAllocation& p = payment(e[1]);
      std::size_t k = std::stoul(e[2]);
      ASSERT_LT(k, p.parts.size());
      EXPECT_EQ(p.parts[k].claim.value(), std::stoll(e[3]));
      EXPECT_EQ(BucketName(p.parts[k].bucket), e[4]);
      EXPECT_EQ(p.parts[k].amount, Eur(e[5])) << p.parts[k].amount.ToDecimalString();
    } else if (what == "parts") {
      EXPECT_EQ(payment(e[1]).parts.size(), std::stoul(e[2]));
    } else if (what == "surplus") {
      EXPECT_EQ(payment(e[1]).surplus, Eur(e[2]));
    } else if (what == "total_due") {
      EXPECT_EQ(s.total_due, Eur(e[1])) << s.total_due.ToDecimalString();
    } else if (what == "limitation") {
      const ClaimStatement& cs = claim(e[1]);
      EXPECT_EQ(cs.limitation.expires, D(e[2]));
      EXPECT_EQ(LimitationStateName(cs.limitation.state), e[3]);
    } else {
      ADD_FAILURE() << "unknown expectation " << what;
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name;
  for (char ch : info.param.name) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, LedgerGolden, ::testing::ValuesIn(LoadCases("scenarios.txt")),
                         CaseName);
INSTANTIATE_TEST_SUITE_P(BaseRates, LedgerGolden,
                         ::testing::ValuesIn(LoadCases("base_rate_cases.txt")), CaseName);

TEST(LedgerGoldenFiles, HaveEnoughCases) {
  EXPECT_GE(LoadCases("scenarios.txt").size(), 40u);
  EXPECT_EQ(LoadCases("base_rate_cases.txt").size(), 50u);
}

}  // namespace
}  // namespace quitt::domain

namespace quitt::domain {
namespace {

// A fresh seed per run, printed so a failure can be replayed with QUITT_TEST_SEED=<seed>.
std::uint32_t TestSeed() {
  if (const char* fixed = std::getenv("QUITT_TEST_SEED")) {
    return static_cast<std::uint32_t>(std::stoul(fixed));
  }
  return std::random_device{}();
}

// Property: for random cases (claims, fees, payments, as-of), no money is created or lost:
// every payment is fully accounted for by its parts and surplus, what each claim received equals
// its paid buckets, open amounts are never negative, the totals add up, interest lines do not
// overlap and stay inside [default date, as-of].
TEST(LedgerProperty, NoMoneyIsCreatedOrLost) {
  const std::uint32_t seed = TestSeed();
  std::printf("LedgerProperty seed: %u\n", seed);
  std::mt19937 rng(seed);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  de::Germany germany;
  const Date start = *Date::FromYmd(2021, 10, 1);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    LedgerInput in;
    in.customer_kind = pick(0, 1) ? CustomerKind::kBusiness : CustomerKind::kConsumer;
    in.client_can_deduct_vat = pick(0, 1) == 1;
    in.interest.day_count =
        std::array{DayCount::kActual365, DayCount::kActualActual, DayCount::kThirty360}[pick(0, 2)];
    in.as_of = start.AddDays(static_cast<std::int32_t>(pick(200, 1500)));
    const int n = static_cast<int>(pick(1, 4));
    for (int i = 0; i < n; ++i) {
      LedgerClaim lc;
      Claim& c = lc.claim;
      c.id = ClaimId(i + 1);
      c.client_ref = "R" + std::to_string(i + 1);
      c.invoice_date = start.AddDays(static_cast<std::int32_t>(pick(0, 100)));
      c.due_date = c.invoice_date.AddDays(static_cast<std::int32_t>(pick(0, 30)));
      if (pick(0, 4) > 0)
        c.default_date = c.due_date.AddDays(static_cast<std::int32_t>(pick(1, 60)));
      c.principal = Eur(std::to_string(pick(1, 500000)) + ".00");
      if (pick(0, 3) == 0) c.client_costs = Eur(std::to_string(pick(1, 30)) + ".00");
      c.interest.consumer_credit = pick(0, 6) == 0;
      if (pick(0, 6) == 0) {
        c.interest.statutory = false;
        c.interest.contractual_rate_bp = static_cast<std::int32_t>(pick(0, 1500));
      }
      lc.security_rank = static_cast<int>(pick(0, 1));
      in.claims.push_back(lc);
    }
    const int fees = static_cast<int>(pick(0, 2));
    for (int i = 0; i < fees; ++i) {
      FeeEvent f;
      f.ref = "F" + std::to_string(i);
      f.date = start.AddDays(static_cast<std::int32_t>(pick(120, 180)));
      f.kind = i == 0 ? FeeKind::kBusinessFee : FeeKind::kSettlementFee;
      f.course = static_cast<CollectionCourse>(pick(0, 3));
      in.fees.push_back(f);
    }
    const int payments = static_cast<int>(pick(0, 6));
    for (int i = 0; i < payments; ++i) {
      LedgerPayment p;
      p.ref = "P" + std::to_string(i);
      p.date = start.AddDays(static_cast<std::int32_t>(pick(0, 1600)));
      p.amount = Money::FromMinorUnits(pick(1, 300000), Currency::Eur());
      if (pick(0, 3) == 0) p.customer_designation = {ClaimId(pick(1, n))};
      in.payments.push_back(p);
    }
    auto result = BuildStatement(germany, in);
    // A fee after everything was paid has no value to be computed on: rejected, by design.
    if (!result.ok() && result.error().message().find("nothing open") != std::string::npos)
      continue;
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const Statement& s = *result;
    std::map<std::int64_t, Money> received;
    Money paid_in = Eur("0");
    for (const PaymentAllocation& p : s.payments) {
      Money sum = p.surplus;
      for (const AllocationPart& part : p.parts) {
        sum += part.amount;
        received.emplace(part.claim.value(), Eur("0")).first->second += part.amount;
      }
      EXPECT_EQ(sum, p.amount);
      paid_in += p.amount;
    }
    EXPECT_EQ(paid_in, s.total_paid);
    Money due = Eur("0");
    for (const ClaimStatement& c : s.claims) {
      auto it = received.find(c.claim.value());
      Money got = it == received.end() ? Eur("0") : it->second;
      EXPECT_EQ(got, c.paid_costs + c.paid_interest + c.paid_principal);
      EXPECT_FALSE(c.open_costs.is_negative());
      EXPECT_FALSE(c.open_interest.is_negative());
      EXPECT_FALSE(c.open_principal.is_negative());
      EXPECT_EQ(c.open_principal + c.paid_principal, c.principal);
      Money lines = Eur("0");
      for (std::size_t k = 0; k < c.interest_lines.size(); ++k) {
        const InterestLine& l = c.interest_lines[k];
        lines += l.interest;
        EXPECT_LE(l.from, l.to);
        EXPECT_LE(l.to, s.as_of);
        EXPECT_GE(l.from, *c.default_date);
        if (k > 0) {
          EXPECT_GT(l.from, c.interest_lines[k - 1].to);
        }
      }
      EXPECT_EQ(lines, c.interest);
      due += c.open_total;
    }
    EXPECT_EQ(due, s.total_due);
    EXPECT_EQ(s.total_principal + s.total_interest + s.total_costs - s.total_paid + s.total_surplus,
              s.total_due);
  }
}

}  // namespace
}  // namespace quitt::domain

namespace quitt::domain {
namespace {

LedgerInput OneClaim(Date default_date, Date as_of) {
  LedgerInput in;
  LedgerClaim lc;
  lc.claim.id = ClaimId(1);
  lc.claim.client_ref = "INV-1";
  lc.claim.invoice_date = default_date.AddDays(-30);
  lc.claim.due_date = default_date.AddDays(-1);
  lc.claim.default_date = default_date;
  lc.claim.principal = Money::FromMinorUnits(100000, Currency::Eur());
  in.claims.push_back(lc);
  in.as_of = as_of;
  return in;
}

TEST(BuildStatement, RejectsInconsistentInputNamingIt) {
  de::Germany germany;
  LedgerInput in = OneClaim(*Date::FromYmd(2024, 1, 1), *Date::FromYmd(2024, 6, 30));
  LedgerPayment p{
      "BANK-9", *Date::FromYmd(2024, 2, 1), Money::FromMinorUnits(0, Currency::Eur()), {}};
  in.payments.push_back(p);
  auto zero = BuildStatement(germany, in);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message().find("BANK-9"), std::string::npos);
  in.payments[0].amount = Money::FromMinorUnits(100, *Currency::FromCode("CHF"));
  EXPECT_FALSE(BuildStatement(germany, in).ok());
  in.payments.clear();
  FeeEvent f;
  f.ref = "F-7";
  f.date = *Date::FromYmd(2024, 2, 1);
  f.claims = {ClaimId(99)};
  in.fees.push_back(f);
  auto unknown = BuildStatement(germany, in);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("F-7"), std::string::npos);
  EXPECT_FALSE(BuildStatement(germany, LedgerInput{}).ok());
}

TEST(BuildStatement, UnpublishedBaseRateFailsOrIsMarkedProvisional) {
  de::Germany germany;
  LedgerInput in = OneClaim(*Date::FromYmd(2026, 6, 1), *Date::FromYmd(2026, 7, 31));
  auto fails = BuildStatement(germany, in);
  ASSERT_FALSE(fails.ok());
  EXPECT_NE(fails.error().message().find("INV-1"), std::string::npos);
  in.interest.allow_unpublished_base_rate = true;
  auto s = BuildStatement(germany, in);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->claims[0].interest_lines.size(), 2u);
  EXPECT_FALSE(s->claims[0].interest_lines[0].provisional);
  EXPECT_TRUE(s->claims[0].interest_lines[1].provisional);
  EXPECT_FALSE(s->notes.empty());
}

// A recorded payment's allocation must not depend on the date a statement is made for: folded as
// of the payment's own day or of any later day, every payment up to that day is split the same
// way. Same-day payments are frequent on purpose (the second payment of a day once saw no running
// rate when the statement ended on that day).
TEST(LedgerProperty, AllocationsDoNotDependOnTheAsOfDate) {
  const std::uint32_t seed = TestSeed();
  std::printf("LedgerProperty (as-of) seed: %u\n", seed);
  std::mt19937 rng(seed);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  de::Germany germany;
  const Date start = *Date::FromYmd(2023, 1, 2);
  for (int round = 0; round < 200; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    LedgerInput in;
    in.customer_kind = pick(0, 1) ? CustomerKind::kBusiness : CustomerKind::kConsumer;
    const int n = static_cast<int>(pick(2, 3));
    for (int i = 0; i < n; ++i) {
      LedgerClaim lc;
      Claim& c = lc.claim;
      c.id = ClaimId(i + 1);
      c.client_ref = "R" + std::to_string(i + 1);
      c.invoice_date = start.AddDays(static_cast<std::int32_t>(pick(0, 60)));
      c.due_date = c.invoice_date.AddDays(14);
      c.default_date = c.due_date.AddDays(1);
      c.principal = Money::FromMinorUnits(pick(1000, 50000), Currency::Eur());
      if (pick(0, 2) == 0) {
        c.interest.statutory = false;
        c.interest.contractual_rate_bp = static_cast<std::int32_t>(pick(100, 1500));
      }
      in.claims.push_back(lc);
    }
    Date day = start.AddDays(static_cast<std::int32_t>(pick(90, 200)));
    const int payments = static_cast<int>(pick(2, 5));
    for (int i = 0; i < payments; ++i) {
      if (i > 0 && pick(0, 1) == 1) day = day.AddDays(static_cast<std::int32_t>(pick(1, 40)));
      in.payments.push_back({"P" + std::to_string(i),
                             day,
                             Money::FromMinorUnits(pick(100, 40000), Currency::Eur()),
                             {}});
    }
    in.as_of = day.AddDays(static_cast<std::int32_t>(pick(0, 300)));
    auto late = BuildStatement(germany, in);
    ASSERT_TRUE(late.ok()) << late.error().ToString();
    for (const LedgerPayment& payment : in.payments) {
      LedgerInput early = in;
      early.as_of = payment.date;
      auto on_the_day = BuildStatement(germany, early);
      ASSERT_TRUE(on_the_day.ok()) << on_the_day.error().ToString();
      for (const PaymentAllocation& a : on_the_day->payments) {
        const auto same = std::find_if(
            late->payments.begin(), late->payments.end(),
            [&](const PaymentAllocation& b) { return b.payment_ref == a.payment_ref; });
        ASSERT_NE(same, late->payments.end()) << a.payment_ref;
        ASSERT_EQ(a.parts.size(), same->parts.size())
            << a.payment_ref << " as of " << payment.date.ToString();
        for (std::size_t k = 0; k < a.parts.size(); ++k) {
          EXPECT_EQ(a.parts[k].claim, same->parts[k].claim) << a.payment_ref;
          EXPECT_EQ(a.parts[k].bucket, same->parts[k].bucket) << a.payment_ref;
          EXPECT_EQ(a.parts[k].amount, same->parts[k].amount) << a.payment_ref;
        }
      }
    }
  }
}

TEST(BuildStatement, EventsAfterTheAsOfDateAreLeftOutAndNamed) {
  de::Germany germany;
  LedgerInput in = OneClaim(*Date::FromYmd(2024, 1, 1), *Date::FromYmd(2024, 1, 31));
  in.payments.push_back(
      {"LATE", *Date::FromYmd(2024, 2, 1), Money::FromMinorUnits(100, Currency::Eur()), {}});
  auto s = BuildStatement(germany, in);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->payments.empty());
  ASSERT_EQ(s->notes.size(), 1u);
  EXPECT_NE(s->notes[0].find("LATE"), std::string::npos);
}

}  // namespace
}  // namespace quitt::domain
