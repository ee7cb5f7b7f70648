// Runs the readable daily-run scenarios in tests/scenarios/run/*.scenario through the real store:
// claims are imported, days are run with app::RunDay, agents' actions go through app/collection,
// and the indented lines under each command list exactly what must happen. The format is in
// tests/scenarios/run/README.md. After every run, each case's collection row must equal the row
// rebuilt from its history.
#include <algorithm>
#include <map>
#include <set>

#include "adapters/storage/sqlite/daily_run_test_support.h"
#include "common/text.h"
#include "domain/case_event_codec.h"

namespace quitt::adapters::sqlite {
namespace {

namespace fs = std::filesystem;
using domain::Date;
using domain::Money;

struct Command {
  int line = 0;
  std::vector<std::string> words;
  std::map<std::string, std::string> options;  // key=value words
  std::string quoted;                          // the text between double quotes, if any
  std::vector<std::string> block;
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
    // Words are separated by spaces outside double quotes; `key=value` words are options; a
    // quoted word without a key is the command's text.
    std::string word;
    bool quoted = false, was_quoted = false;
    auto flush = [&] {
      if (word.empty() && !was_quoted) return;
      const auto eq = word.find('=');
      if (eq != std::string::npos && (!was_quoted || word.find('"') == std::string::npos) &&
          eq < word.find_first_of(" ")) {
        c.options[word.substr(0, eq)] = word.substr(eq + 1);
      } else if (was_quoted) {
        c.quoted = word;
      } else {
        c.words.push_back(word);
      }
      word.clear();
      was_quoted = false;
    };
    for (char ch : trimmed) {
      if (ch == '"') {
        quoted = !quoted;
        was_quoted = true;
      } else if (ch == ' ' && !quoted) {
        flush();
      } else {
        word.push_back(ch);
      }
    }
    flush();
    commands.push_back(std::move(c));
  }
  return commands;
}

std::string ResumeText(const domain::ResumePoint& r) {
  if (r.step_index < 0) return "";
  return " resume " + r.step_id + " " + (r.due ? r.due->ToString() : "?");
}

// One collection event of a history as a scenario line; empty for events scenarios do not list.
std::string EventLine(const domain::CaseEvent& event) {
  using namespace domain;
  return std::visit(
      [&](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, StrategyVariantAssigned>) {
          return "variant " + e.variant + " (" + e.strategy_id + " v" +
                 std::to_string(e.strategy_version) + ")";
        } else if constexpr (std::is_same_v<T, StepTaken>) {
          return "step " + e.due.ToString() + " " + e.action + " " + e.step_id +
                 (e.taken_on != e.due ? " (late, run on " + e.taken_on.ToString() + ")" : "");
        } else if constexpr (std::is_same_v<T, PromiseMade>) {
          return "promise " + e.amount.ToDecimalString() + " by " + e.due.ToString();
        } else if constexpr (std::is_same_v<T, PromiseKept>) {
          return "promise kept " + e.on.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, PromiseBroken>) {
          return "promise broken " + e.on.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, PlanAgreed>) {
          std::string text = "plan " + e.total.ToDecimalString() + " " + e.rhythm + ":";
          for (const auto& i : e.instalments) {
            text += " " + i.due.ToString() + " " + i.amount.ToDecimalString();
          }
          return text;
        } else if constexpr (std::is_same_v<T, PlanBroken>) {
          return "plan broken " + e.on.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, PlanCompleted>) {
          return "plan completed " + e.on.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, DisputeRaised>) {
          return "dispute raised";
        } else if constexpr (std::is_same_v<T, DisputeResolved>) {
          return "dispute resolved " + event.effective_date.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, HardshipFlagged>) {
          return "hardship flagged";
        } else if constexpr (std::is_same_v<T, HardshipCleared>) {
          return "hardship cleared " + event.effective_date.ToString() + ResumeText(e.resume);
        } else if constexpr (std::is_same_v<T, CaseClosed>) {
          return std::string("closed ") + CaseCloseReasonName(e.reason) + " " +
                 event.effective_date.ToString();
        } else {
          return "";
        }
      },
      event.payload);
}

class RunScenario {
 public:
  explicit RunScenario(std::string name)
      : name_(std::move(name)), path_(testing::FreshPath("scenario")) {
    store_ = testing::OpenStore(path_, clock_);
    auto client = store_->AddClient({{}, "ACME", "Acme Versand GmbH", "DE"});
    EXPECT_TRUE(client.ok());
  }

  void Run(const std::string& text) {
    for (const Command& c : ParseCommands(text)) {
      where_ = name_ + ":" + std::to_string(c.line);
      SCOPED_TRACE(where_);
      const int parts_before = Parts();
      Execute(c);
      if (Parts() != parts_before) return;  // later commands would only repeat the failure
    }
  }

 private:
  static int Parts() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
  }
  Date ParseDate(const std::string& text) {
    auto d = Date::Parse(text);
    EXPECT_TRUE(d.ok()) << "bad date " << text;
    return d.ok() ? *d : Date::FromDaysSinceEpoch(0);
  }
  Money ParseMoney(const std::string& text) {
    auto m = Money::Parse(text, domain::Currency::Eur());
    EXPECT_TRUE(m.ok()) << "bad amount " << text;
    return m.ok() ? *m : Money::Zero(domain::Currency::Eur());
  }
  Date On(const Command& c) {
    auto it = c.options.find("on");
    EXPECT_NE(it, c.options.end()) << "missing on=DATE";
    return it == c.options.end() ? Date::FromDaysSinceEpoch(0) : ParseDate(it->second);
  }
  app::CollectionContext Context() { return {*store_, clock_, book_, "user:agent"}; }

  // The latest case of the customer with this reference.
  std::string CaseOf(const std::string& ref) {
    app::CaseFilter filter;
    filter.limit = 100000;
    std::string number;
    auto cases = store_->ListCases(filter);
    for (const auto& summary : *cases) {
      auto customer = *store_->FindCustomer(summary.client, summary.customer);
      if (customer && customer->customer_ref == ref) number = summary.case_number;
    }
    EXPECT_FALSE(number.empty()) << "no case for customer " << ref;
    return number;
  }
  std::string RefOf(app::ClientId client, app::CaseId id) {
    auto summary = *store_->FindCase(client, id);
    auto customer = *store_->FindCustomer(client, summary->customer);
    return customer->customer_ref;
  }

  void Import(const Command& c) {
    std::vector<app::IntakeRow> rows;
    std::int64_t line = 1;
    for (const std::string& spec : c.block) {
      // K1 consumer 120.00 due=2026-01-10 channels=post,email,mobile,phone
      Command row = ParseCommands(spec)[0];
      EXPECT_GE(row.words.size(), 3u) << "claim line: REF KIND AMOUNT due=DATE [channels=...]";
      if (row.words.size() < 3) return;
      app::IntakeRow r =
          app::testing::ContractRow(++line, row.words[0] + "-" + std::to_string(++claims_),
                                    row.words[0], ParseMoney(row.words[2]).minor_units());
      r.customer.kind = row.words[1] == "business" ? domain::CustomerKind::kBusiness
                                                   : domain::CustomerKind::kConsumer;
      const std::string channels =
          row.options.count("channels") ? row.options["channels"] : "post,email";
      r.customer.emails.clear();
      if (channels.find("email") != std::string::npos) r.customer.emails = {"k@example.de"};
      if (channels.find("post") == std::string::npos) r.customer.address = {"", "", "", "DE"};
      if (channels.find("mobile") != std::string::npos)
        r.customer.phones.push_back("+4917012345678");
      if (channels.find("phone") != std::string::npos) r.customer.phones.push_back("+493012345678");
      r.claim.due_date = ParseDate(row.options["due"]);
      r.claim.invoice_date = r.claim.due_date.AddDays(-14);
      r.claim.default_date = r.claim.due_date.AddDays(1);
      rows.push_back(std::move(r));
    }
    app::testing::VectorSource source(std::move(rows));
    app::ImportOptions options;
    options.client_code = "ACME";
    options.actor = "import:scenario";
    options.business_date = ParseDate(c.words.at(1));
    auto report = app::ImportClaims(*store_, clock_, source, options);
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    EXPECT_TRUE(report->problems.empty()) << report->problems[0].message;
  }

  std::set<std::string> OutboxKeys() {
    std::set<std::string> keys;
    auto outbox = store_->ListOutbox(std::nullopt, std::nullopt, "", 1000000);
    for (const auto& m : *outbox) {
      keys.insert(m.message_key);
    }
    return keys;
  }

  // "ref due channel step" of every outbox message not in `except`, sorted.
  std::vector<std::string> OutboxLines(const std::set<std::string>& except) {
    std::vector<std::string> actual;
    auto outbox = store_->ListOutbox(std::nullopt, std::nullopt, "", 1000000);
    for (const auto& m : *outbox) {
      if (except.count(m.message_key)) continue;
      const auto parts = Split(m.message_key, '/');  // case number, strategy, step, due
      actual.push_back(RefOf(m.client, m.case_id) + " " + m.due.ToString() + " " + m.channel + " " +
                       std::string(parts.at(2)));
    }
    std::sort(actual.begin(), actual.end());
    return actual;
  }

  // run DATE or run FIRST..LAST (every day): the block lists exactly the actions queued, unless
  // check=no (after a crash, where only the end result is compared).
  void RunDay(const Command& c) {
    const std::set<std::string> before = OutboxKeys();
    const std::string& range = c.words.at(1);
    const auto dots = range.find("..");
    const Date first = ParseDate(range.substr(0, dots));
    const Date last = dots == std::string::npos ? first : ParseDate(range.substr(dots + 2));
    for (Date day = first; day <= last; day = day.AddDays(1)) {
      app::RunOptions options;
      options.as_of = day;
      options.partitions =
          c.options.count("partitions") ? std::stoi(c.options.at("partitions")) : 3;
      options.batch_cases = 2;  // many small transactions, as a big run has
      options.take_over = true;
      options.worker = "scenario";
      auto summary = app::RunDay(*store_, clock_, book_, options);
      ASSERT_TRUE(summary.ok()) << summary.error().ToString();
      EXPECT_EQ(summary->partitions_pending, 0);
      CheckRowsMatchHistories();
    }
    if (c.options.count("check") && c.options.at("check") == "no") return;
    std::vector<std::string> expected = c.block;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(OutboxLines(before), expected) << "the actions of run " << range;
  }

  void Outbox(const Command& c) {
    std::vector<std::string> expected = c.block;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(OutboxLines({}), expected) << "the whole outbox";
  }

  void CrashRun(const Command& c) {
    app::RunOptions options;
    options.as_of = ParseDate(c.words.at(1));
    options.partitions = c.options.count("partitions") ? std::stoi(c.options.at("partitions")) : 3;
    options.batch_cases = 2;
    const std::string point = c.options.count("point") ? c.options.at("point") : "decided";
    const app::RunPoint at = point == "written"     ? app::RunPoint::kBatchWritten
                             : point == "committed" ? app::RunPoint::kCommitted
                                                    : app::RunPoint::kCaseDecided;
    const int ended =
        testing::CrashingRun(path_, clock_.Now(), options, at, std::stoll(c.options.at("after")));
    EXPECT_EQ(ended, 128 + SIGABRT) << "the run should have died at " << point;
  }

  void History(const Command& c) {
    auto view = app::LoadCase(*store_, CaseOf(c.words.at(1)));
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    std::vector<std::string> actual;
    for (const auto& event : view->events) {
      std::string line = EventLine(event);
      if (!line.empty()) actual.push_back(line);
    }
    EXPECT_EQ(actual, c.block) << "the history of " << c.words.at(1);
    EXPECT_TRUE(app::VerifyCase(*store_, view->summary).status.ok());
  }

  void Explain(const Command& c) {
    auto text = app::ExplainCase(*store_, book_, CaseOf(c.words.at(1)), ParseDate(c.words.at(2)));
    ASSERT_TRUE(text.ok()) << text.error().ToString();
    for (const std::string& expected : c.block) {
      EXPECT_NE(text->find(expected), std::string::npos) << "missing: " << expected << "\n"
                                                         << *text;
    }
  }

  template <typename R>
  void ExpectOutcome(const Command& c, const R& result) {
    if (c.options.count("fails")) {
      ASSERT_FALSE(result.ok()) << "should fail";
      EXPECT_NE(result.error().message().find(c.options.at("fails")), std::string::npos)
          << result.error().message();
    } else {
      ASSERT_TRUE(result.ok()) << result.error().ToString();
    }
  }

  void Execute(const Command& c) {
    const std::string& verb = c.words.at(0);
    if (verb == "import") {
      Import(c);
    } else if (verb == "run") {
      RunDay(c);
    } else if (verb == "outbox") {
      Outbox(c);
    } else if (verb == "crash") {
      CrashRun(c);
    } else if (verb == "history") {
      History(c);
    } else if (verb == "explain") {
      Explain(c);
    } else if (verb == "promise") {
      ExpectOutcome(c,
                    app::PromiseToPay(Context(), CaseOf(c.words.at(1)), ParseMoney(c.words.at(2)),
                                      ParseDate(c.words.at(3)), On(c)));
    } else if (verb == "plan") {
      // plan K1 COUNT FIRST RHYTHM on=DATE [outside=yes]
      auto rhythm = workflow::ParseRhythm(c.words.at(4));
      ASSERT_TRUE(rhythm.has_value());
      ExpectOutcome(c, app::AgreePaymentPlan(Context(), CaseOf(c.words.at(1)),
                                             std::stoi(c.words.at(2)), ParseDate(c.words.at(3)),
                                             *rhythm, On(c), c.options.count("outside") > 0));
    } else if (verb == "dispute") {
      ExpectOutcome(c, app::RaiseDispute(Context(), CaseOf(c.words.at(1)), c.quoted, On(c)));
    } else if (verb == "hardship") {
      ExpectOutcome(c, app::FlagHardship(Context(), CaseOf(c.words.at(1)), c.quoted, On(c)));
    } else if (verb == "resolve") {
      ExpectOutcome(c, app::ResolvePause(Context(), CaseOf(c.words.at(1)), c.quoted, On(c)));
    } else if (verb == "pay") {
      domain::PaymentReceived payment;
      payment.payment_ref = "manual:" + std::to_string(++payments_);
      payment.booked_on = On(c);
      payment.amount = ParseMoney(c.words.at(2));
      payment.match_reason = "scenario";
      payment.confidence = 100;
      auto paid =
          app::AppendToCase(*store_, clock_, CaseOf(c.words.at(1)), {payment}, "user:agent", On(c));
      ASSERT_TRUE(paid.ok()) << paid.error().ToString();
    } else if (verb == "close") {
      auto closed = app::AppendToCase(*store_, clock_, CaseOf(c.words.at(1)),
                                      {domain::CaseClosed{domain::CaseCloseReason::kPaid, ""}},
                                      "user:agent", On(c));
      ASSERT_TRUE(closed.ok()) << closed.error().ToString();
    } else {
      FAIL() << "unknown command " << verb;
    }
  }

  void CheckRowsMatchHistories() {
    app::CaseFilter filter;
    filter.limit = 100000;
    auto cases = store_->ListCases(filter);
    for (const auto& summary : *cases) {
      auto stored = *store_->FindCollectionRow(summary.client, summary.id);
      if (!stored) continue;
      auto rebuilt = app::CollectionRowFromHistory(*store_, book_, summary.case_number);
      ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().ToString();
      EXPECT_TRUE(app::SameFacts(stored->facts, rebuilt->facts))
          << "row:     " << app::DescribeFacts(stored->facts)
          << "\nhistory: " << app::DescribeFacts(rebuilt->facts);
      EXPECT_EQ(stored->open, rebuilt->open) << summary.case_number;
      EXPECT_EQ(stored->synced_seq, summary.last_seq) << summary.case_number;
    }
  }

  std::string name_;
  std::string where_;
  std::string path_;
  app::FixedClock clock_{app::testing::ContractNow()};
  std::unique_ptr<SqliteCaseStore> store_;
  app::StrategyBook book_ = testing::DefaultBook();
  int claims_ = 0;
  int payments_ = 0;
};

TEST(DailyRunScenarios, AllScenarioFilesPass) {
  const fs::path dir = fs::path(QUITT_SOURCE_DIR) / "tests" / "scenarios" / "run";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".scenario") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 9u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    RunScenario(file.filename().string()).Run(testing::ReadText(file));
  }
}

}  // namespace
}  // namespace quitt::adapters::sqlite
