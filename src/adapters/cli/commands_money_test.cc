// Runs the payment scenarios in tests/scenarios/payments/*.scenario through the real command
// line (RunCli) on a fresh SQLite file per scenario, and checks `quitt ledger check` after every
// command. The format is described in tests/scenarios/payments/README.md.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "adapters/cli/cli.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/payments/trust_ledger.h"

namespace quitt::adapters::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarioDir = fs::path(QUITT_SOURCE_DIR) / "tests" / "scenarios" / "payments";
const std::string kXsdDir = std::string(QUITT_SHARED_DIR) + "/standards/iso20022/xsd/";

std::vector<std::string> SplitArgs(const std::string& line) {
  std::vector<std::string> args;
  std::string current;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) args.push_back(current);
      current.clear();
      any = false;
    } else {
      current.push_back(c);
      any = true;
    }
  }
  if (any) args.push_back(current);
  return args;
}

std::string Substitute(std::string text, const fs::path& tmp) {
  for (auto [key, value] :
       {std::pair<std::string, std::string>{"{tmp}", tmp.string()},
        {"{data}", (kScenarioDir / "data").string()},
        {"{samples}", std::string(QUITT_SHARED_DIR) + "/standards/iso20022/samples"},
        {"{source}", std::string(QUITT_SOURCE_DIR)}}) {
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      text.replace(at, key.size(), value);
      at += value.size();
    }
  }
  return text;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Files in `dir` whose names match the glob-like pattern (only '*').
std::vector<fs::path> Matching(const fs::path& base, const std::string& relative) {
  const fs::path dir = (base / relative).parent_path();
  const std::string pattern = fs::path(relative).filename().string();
  std::string regex;
  for (char c : pattern) {
    if (c == '*') {
      regex += ".*";
    } else if (std::string("\\^$.|?+()[]{}").find(c) != std::string::npos) {
      regex += std::string("\\") + c;
    } else {
      regex.push_back(c);
    }
  }
  std::vector<fs::path> found;
  if (!fs::exists(dir)) return found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (std::regex_match(entry.path().filename().string(), std::regex(regex)))
      found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string RunTool(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "cannot run " + command;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  int status = pclose(pipe);
  return output + "\n[exit " + std::to_string(WEXITSTATUS(status)) + "]";
}

struct Step {
  int line = 0;
  std::string command;  // "$ quitt ...", "file ...", "xsd ...", "qr ..."
  int expected_exit = 0;
  std::vector<std::string> expect, reject;
};

std::vector<Step> Parse(const fs::path& file) {
  std::vector<Step> steps;
  std::istringstream in(Slurp(file));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("  ", 0) == 0) {
      std::string t = line.substr(line.find_first_not_of(' '));
      EXPECT_FALSE(steps.empty()) << file << ":" << number << ": expectation without a command";
      if (steps.empty()) continue;
      if (t.rfind("!> ", 0) == 0) {
        steps.back().reject.push_back(t.substr(3));
      } else if (t.rfind("> ", 0) == 0) {
        steps.back().expect.push_back(t.substr(2));
      } else {
        ADD_FAILURE() << file << ":" << number << ": expected '> text' or '!> text'";
      }
      continue;
    }
    Step step;
    step.line = number;
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(\$\[(\d)\] (.*))"))) {
      step.expected_exit = std::stoi(m[1]);
      step.command = "$ " + m[2].str();
    } else {
      step.command = line;
    }
    steps.push_back(step);
  }
  return steps;
}

class PaymentScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(PaymentScenario, Passes) {
  const fs::path file = kScenarioDir / GetParam();
  const fs::path tmp = fs::temp_directory_path() /
                       ("quitt-payments-" + file.stem().string() + "-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  const std::string db = (tmp / "quitt.db").string();
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00Z"));
  auto run = [&](std::vector<std::string> args, std::string& output) {
    args.insert(args.begin(), {"--db", db});
    std::ostringstream out, err;
    CliEnvironment env{out, err, clock, *domain::Date::Parse("2026-11-23")};
    int code = RunCli(args, env);
    output = out.str() + err.str();
    return code;
  };
  for (const Step& step : Parse(file)) {
    SCOPED_TRACE(file.filename().string() + ":" + std::to_string(step.line) + ": " + step.command);
    std::string output;
    const std::string command = Substitute(step.command, tmp);
    if (command.rfind("$ quitt ", 0) == 0) {
      int code = run(SplitArgs(command.substr(8)), output);
      EXPECT_EQ(code, step.expected_exit) << output;
      // The books hold after every command.
      std::string check;
      EXPECT_EQ(run({"ledger", "check"}, check), 0) << check;
      EXPECT_NE(check.find("the books balance"), std::string::npos) << check;
    } else if (command.rfind("file ", 0) == 0) {
      auto files = Matching(tmp, command.substr(5));
      EXPECT_EQ(files.size(), 1u) << "files matching " << command.substr(5);
      if (!files.empty()) output = Slurp(files[0]);
    } else if (command.rfind("files ", 0) == 0) {
      // "files PATTERN N": exactly N files match.
      auto parts = SplitArgs(command.substr(6));
      ASSERT_EQ(parts.size(), 2u);
      EXPECT_EQ(Matching(tmp, parts[0]).size(), std::stoul(parts[1])) << parts[0];
    } else if (command.rfind("xsd ", 0) == 0) {
      // "xsd PATTERN SCHEMA...": every matching file validates against every schema.
      auto parts = SplitArgs(command.substr(4));
      ASSERT_GE(parts.size(), 2u);
      auto files = Matching(tmp, parts[0]);
      EXPECT_FALSE(files.empty()) << "no file matches " << parts[0];
      for (const auto& xml : files) {
        for (std::size_t i = 1; i < parts.size(); ++i) {
          std::string result = RunTool("xmllint --noout --nonet --schema " + kXsdDir + parts[i] +
                                       " " + xml.string());
          EXPECT_NE(result.find("validates"), std::string::npos) << result;
          output += result;
        }
      }
    } else if (command.rfind("decode ", 0) == 0) {
      // "decode FILE": the QR code in the image, read by zbar.
      output = RunTool("zbarimg --quiet --raw " + (tmp / command.substr(7)).string());
    } else {
      ADD_FAILURE() << "unknown command";
      continue;
    }
    for (const std::string& text : step.expect) {
      EXPECT_NE(output.find(Substitute(text, tmp)), std::string::npos)
          << "expected '" << text << "' in:\n"
          << output;
    }
    for (const std::string& text : step.reject) {
      EXPECT_EQ(output.find(Substitute(text, tmp)), std::string::npos)
          << "did not expect '" << text << "' in:\n"
          << output;
    }
  }
  if (!HasFailure()) fs::remove_all(tmp);
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kScenarioDir)) {
    if (entry.path().extension() == ".scenario") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Files, PaymentScenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(0, param.param.find('.'));
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// The check must fail when the books and their records disagree, even with balanced entries.
TEST(LedgerCheck, FindsMoneyWithoutARecord) {
  const fs::path db =
      fs::temp_directory_path() / ("quitt-ledger-check-" + std::to_string(getpid()));
  fs::remove(db);
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00Z"));
  auto store = sqlite::SqliteCaseStore::Open(db.string(), clock);
  ASSERT_TRUE(store.ok());
  auto client = (*store)->AddClient({{}, "ACME", "Acme", "DE"});
  ASSERT_TRUE(client.ok());
  auto clean = app::payments::CheckLedger(**store);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok());
  {
    auto transaction = (*store)->Begin();
    app::JournalEntry entry;
    entry.client = client->id;
    entry.date = *domain::Date::Parse("2026-05-04");
    entry.kind = "receipt";
    entry.reference = "rogue";
    entry.lines = {{app::kAccountTrustBank, client->id, 1000, 0},
                   {app::kAccountClientPayable, client->id, 0, 1000}};
    ASSERT_TRUE((*store)->AddJournalEntry(entry).ok());
    app::JournalEntry unknown = entry;
    unknown.reference = "rogue-2";
    unknown.lines = {{app::kAccountTrustBank, client->id, 500, 0},
                     {"petty_cash", client->id, 0, 500}};
    ASSERT_TRUE((*store)->AddJournalEntry(unknown).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  auto report = app::payments::CheckLedger(**store);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  std::string all;
  for (const auto& problem : report->problems) all += problem + "\n";
  EXPECT_NE(all.find("client_payable 10.00 EUR without unremitted payments"), std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown account 'petty_cash'"), std::string::npos) << all;
  EXPECT_NE(all.find("differs from owed to clients"), std::string::npos) << all;
  std::ostringstream out, err;
  CliEnvironment env{out, err, clock, *domain::Date::Parse("2026-11-23")};
  store->reset();
  EXPECT_EQ(RunCli({"--db", db.string(), "ledger", "check"}, env), 1);
  EXPECT_NE(out.str().find("the books do NOT balance"), std::string::npos) << out.str();
  fs::remove(db);
}

TEST(PaymentScenarios, ThereAreEnough) { EXPECT_GE(ScenarioFiles().size(), 6u); }

}  // namespace
}  // namespace quitt::adapters::cli
