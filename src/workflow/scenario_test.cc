// Runs the readable strategy scenarios in tests/scenarios/workflow/*.scenario against the shipped
// strategies. The format is described in tests/scenarios/workflow/README.md: a case is given, days
// are run, and the indented lines under each `run` list exactly what must happen.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/text.h"
#include "gtest/gtest.h"
#include "workflow/decide.h"
#include "workflow/payment_plan.h"

namespace quitt::workflow {
namespace {

namespace fs = std::filesystem;
using domain::Date;
using domain::Money;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Command {
  int line = 0;
  std::vector<std::string> words;
  std::vector<std::string> block;  // the indented lines that follow
};

std::vector<Command> ParseCommands(const std::string& text) {
  std::vector<Command> commands;
  int line_no = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_no;
    const std::string_view trimmed = Trim(raw);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (raw.front() == ' ' || raw.front() == '\t') {
      if (!commands.empty()) commands.back().block.emplace_back(trimmed);
      continue;
    }
    Command c;
    c.line = line_no;
    for (std::string_view w : Split(trimmed, ' ')) {
      if (!w.empty()) c.words.emplace_back(w);
    }
    commands.push_back(std::move(c));
  }
  return commands;
}

class ScenarioRunner {
 public:
  explicit ScenarioRunner(std::string name) : name_(std::move(name)) {}

  void Run(const std::string& text) {
    for (const Command& c : ParseCommands(text)) {
      where_ = name_ + ":" + std::to_string(c.line);
      SCOPED_TRACE(where_);
      Execute(c);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  Date ParseDate(const std::string& text) {
    auto d = Date::Parse(text);
    EXPECT_TRUE(d.ok()) << where_ << ": bad date " << text;
    return d.ok() ? *d : Date::FromDaysSinceEpoch(0);
  }

  Money ParseMoney(const std::string& text) {
    auto m = Money::Parse(text, domain::Currency::Eur());
    EXPECT_TRUE(m.ok()) << where_ << ": bad amount " << text;
    return m.ok() ? *m : Money::Zero(domain::Currency::Eur());
  }

  static bool Yes(const std::string& v) { return v == "yes" || v == "true"; }

  std::map<std::string, std::string> KeyValues(const Command& c, std::size_t from) {
    std::map<std::string, std::string> kv;
    for (std::size_t i = from; i < c.words.size(); ++i) {
      const auto eq = c.words[i].find('=');
      if (eq == std::string::npos) {
        ADD_FAILURE() << where_ << ": expected key=value, got " << c.words[i];
        continue;
      }
      kv[c.words[i].substr(0, eq)] = c.words[i].substr(eq + 1);
    }
    return kv;
  }

  void SetFacts(const std::map<std::string, std::string>& kv) {
    for (const auto& [key, value] : kv) {
      if (key == "id") {
        facts_.case_id = std::stoll(value);
      } else if (key == "kind") {
        auto kind = domain::ParseCustomerKind(value);
        ASSERT_TRUE(kind.has_value()) << where_ << ": kind " << value;
        facts_.customer_kind = *kind;
      } else if (key == "country") {
        facts_.country = PackCountry(value);
      } else if (key == "balance") {
        facts_.balance = ParseMoney(value);
      } else if (key == "overdue_since") {
        facts_.overdue_since = ParseDate(value);
      } else if (key == "handed_over") {
        facts_.handed_over = ParseDate(value);
      } else if (key == "repeat") {
        facts_.repeat_customer = Yes(value);
      } else if (key == "disputed") {
        facts_.disputed = Yes(value);
      } else if (key == "hardship") {
        facts_.hardship = Yes(value);
      } else if (key == "channels") {
        facts_.channels = 0;
        for (std::string_view name : Split(value, ',')) {
          if (name.empty() || name == "none") continue;
          auto channel = ParseChannel(name);
          ASSERT_TRUE(channel.has_value()) << where_ << ": channel " << name;
          facts_.channels = static_cast<ChannelSet>(facts_.channels | *channel);
        }
      } else if (key == "variant") {
        facts_.variant = static_cast<std::int16_t>(strategy_->FindVariant(value));
      } else {
        ADD_FAILURE() << where_ << ": unknown case field " << key;
      }
    }
  }

  // The facts of the running arrangement, as the ledger would report them.
  void RefreshArrangement() {
    if (instalments_.empty()) {
      facts_.arrangement = ArrangementFacts{};
      return;
    }
    facts_.arrangement.kind = kind_;
    facts_.arrangement.ends_on = instalments_.back().due;
    facts_.arrangement.fully_paid = paid_ >= instalments_.size();
    if (!facts_.arrangement.fully_paid) {
      facts_.arrangement.next_unpaid_due = instalments_[paid_].due;
    }
  }

  void Execute(const Command& c) {
    const std::string& verb = c.words[0];
    if (verb == "strategy") {
      ASSERT_EQ(c.words.size(), 2u) << where_;
      const fs::path path = fs::path(QUITT_SOURCE_DIR) / "strategies" / (c.words[1] + ".toml");
      auto loaded = LoadStrategy(ReadFile(path), path.string());
      ASSERT_TRUE(loaded.ok()) << loaded.error().message();
      strategy_ = std::move(*loaded);
    } else if (verb == "case" || verb == "set") {
      ASSERT_TRUE(strategy_.has_value()) << where_ << ": 'strategy' first";
      SetFacts(KeyValues(c, 1));
    } else if (verb == "promise") {
      auto kv = KeyValues(c, 1);
      Money amount = ParseMoney(kv["amount"]);
      instalments_ = {Instalment{ParseDate(kv["due"]), amount}};
      kind_ = ArrangementKind::kPromise;
      paid_ = 0;
      RefreshArrangement();
    } else if (verb == "plan") {
      auto kv = KeyValues(c, 1);
      auto rhythm = ParseRhythm(kv["rhythm"]);
      ASSERT_TRUE(rhythm.has_value()) << where_ << ": rhythm";
      auto plan = MakePaymentPlan(ParseMoney(kv["total"]), std::stoi(kv["count"]),
                                  ParseDate(kv["first"]), *rhythm);
      ASSERT_TRUE(plan.ok()) << where_ << ": " << plan.error().message();
      std::vector<std::string> got;
      for (const Instalment& i : plan->instalments) {
        got.push_back(i.due.ToString() + " " + i.amount.ToDecimalString());
      }
      for (const std::string& problem : CheckPlanLimits(*plan, strategy_->limits())) {
        got.push_back("outside limits: " + problem);
      }
      EXPECT_EQ(got, c.block) << where_ << ": plan instalments";
      instalments_ = plan->instalments;
      kind_ = ArrangementKind::kPlan;
      paid_ = 0;
      RefreshArrangement();
    } else if (verb == "pay") {
      ASSERT_EQ(c.words.size(), 2u) << where_ << ": pay AMOUNT";
      facts_.balance -= ParseMoney(c.words[1]);
      if (paid_ < instalments_.size()) ++paid_;
      RefreshArrangement();
    } else if (verb == "resolve") {
      ASSERT_EQ(c.words.size(), 2u) << where_ << ": resolve DATE";
      facts_.disputed = false;
      facts_.hardship = false;
      facts_.resume = ResumeAfterPause(*strategy_, facts_, ParseDate(c.words[1]));
    } else if (verb == "run") {
      ASSERT_EQ(c.words.size(), 2u) << where_ << ": run DATE or run FROM..TO";
      const std::string& range = c.words[1];
      const auto dots = range.find("..");
      const Date from = ParseDate(range.substr(0, dots));
      const Date to = dots == std::string::npos ? from : ParseDate(range.substr(dots + 2));
      std::vector<std::string> got;
      for (Date day = from; day <= to; day = day.AddDays(1)) RunDay(day, &got);
      EXPECT_EQ(got, c.block) << where_ << ": what happened differs from the expectation";
    } else if (verb == "status") {
      ASSERT_GE(c.words.size(), 2u) << where_;
      EXPECT_EQ(CaseStatusName(last_.status), c.words[1]) << where_;
      if (c.words.size() >= 4 && c.words[2] == "next") {
        const auto& steps = strategy_->variants()[last_.variant].steps;
        ASSERT_GE(last_.next_step, 0) << where_;
        EXPECT_EQ(steps[last_.next_step].id, c.words[3]) << where_;
        if (c.words.size() >= 5) {
          EXPECT_EQ(last_.next_due.ToString(), c.words[4]) << where_;
        }
      }
    } else if (verb == "explain") {
      ASSERT_EQ(c.words.size(), 2u) << where_;
      const std::string text = Explain(*strategy_, facts_, ParseDate(c.words[1]));
      for (const std::string& expected : c.block) {
        EXPECT_NE(text.find(expected), std::string::npos)
            << where_ << ": explanation lacks \"" << expected << "\"\n"
            << text;
      }
    } else {
      ADD_FAILURE() << where_ << ": unknown command " << verb;
    }
  }

  void RunDay(Date day, std::vector<std::string>* got) {
    Decide(*strategy_, facts_, day, &last_);
    if (last_.arrangement_outcome != ArrangementOutcome::kNone) {
      got->push_back(
          last_.arrangement_outcome_on.ToString() + " " +
          (kind_ == ArrangementKind::kPromise ? "promise " : "plan ") +
          (last_.arrangement_outcome == ArrangementOutcome::kBroken ? "broken" : "completed"));
      instalments_.clear();
      paid_ = 0;
    }
    for (const DueAction& a : last_.actions) {
      std::string line =
          a.due.ToString() + " " + ActionKindName(a.definition->action) + " " + a.definition->id;
      if (a.due != day) line += " (late, run on " + day.ToString() + ")";
      got->push_back(line);
    }
    ApplyDecision(last_, &facts_);
  }

  std::string name_;
  std::string where_;
  std::optional<Strategy> strategy_;
  CaseFacts facts_;
  Decision last_;
  std::vector<Instalment> instalments_;
  std::size_t paid_ = 0;
  ArrangementKind kind_ = ArrangementKind::kNone;
};

TEST(WorkflowScenarioTest, AllScenarioFilesPass) {
  const fs::path dir = fs::path(QUITT_SOURCE_DIR) / "tests" / "scenarios" / "workflow";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".scenario") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u) << "scenario files missing in " << dir;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    ScenarioRunner runner(file.filename().string());
    runner.Run(ReadFile(file));
  }
}

}  // namespace
}  // namespace quitt::workflow
