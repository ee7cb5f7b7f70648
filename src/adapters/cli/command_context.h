#pragma once
// What every `quitt` command shares: the global options, the opened store, the clock, output
// streams, exit codes and small formatting helpers. Each command group lives in its own
// commands_<group>.cc and registers itself through a Register...Commands function (see cli.cc).
#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/cli/cli.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/import_claims.h"

namespace quitt::adapters::cli {

// Exit codes (docs/cli.md): the command ran and all is well / ran and found problems (bad rows,
// a broken chain) / could not run (usage, missing file, database unavailable).
constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitFailed = 2;

struct GlobalOptions {
  std::string db;
  std::string now;
};

class CommandContext {
 public:
  CommandContext(CliEnvironment& env, GlobalOptions& global) : env_(env), global_(global) {}

  // Applies --now and opens (and migrates) the database. Called before a command's body.
  Status Prepare();
  // The database location after --db / $QUITT_DB / the default.
  std::string DatabasePath() const;

  app::Clock& clock() { return fixed_clock_ ? *fixed_clock_ : env_.clock; }
  // Today's business date (the --now date when given).
  domain::Date today();
  // The store of --db: SQLite for a file path, PostgreSQL for a postgresql:// URL.
  app::CaseStore& store() { return *store_; }
  // The SQLite store, for the parts that exist only on SQLite so far (users, API keys, the HTTP
  // server); FailedPrecondition naming `what` on PostgreSQL.
  Result<sqlite::SqliteCaseStore*> SqliteStore(const std::string& what);
  std::ostream& out() { return env_.out; }
  std::ostream& err() { return env_.err; }
  CliEnvironment& env() { return env_; }
  GlobalOptions& global() { return global_; }

  // Prints "quitt: <message>" and returns kExitFailed.
  int Fail(const Status& status);

  // Wraps a command body: prepares the context, runs the body, stores its exit code.
  std::function<void()> Run(std::function<int()> body);
  int exit_code() const { return exit_code_; }

  // Storage for a command group's option values that lives as long as the command line (CLI11
  // writes parsed values into it after the Register function has returned).
  template <typename T>
  T& Own() {
    auto owned = std::make_shared<T>();
    T& ref = *owned;
    owned_.push_back(std::move(owned));
    return ref;
  }
  void set_exit_code(int code) { exit_code_ = code; }

 private:
  CliEnvironment& env_;
  GlobalOptions& global_;
  std::unique_ptr<app::FixedClock> fixed_clock_;
  std::unique_ptr<app::CaseStore> store_;
  int exit_code_ = kExitOk;
  std::vector<std::shared_ptr<void>> owned_;
};

// 1234567 → "1,234,567"
std::string WithThousands(std::int64_t n);

// Progress on a terminal: one line on stderr rewritten in place.
class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool enabled);
  void Update(const app::ImportProgress& progress);
  void Done();
  double Seconds() const;

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

// The command groups.
void RegisterCaseCommands(CLI::App& app, CommandContext& context);
void RegisterImportCommands(CLI::App& app, CommandContext& context);
void RegisterRunCommands(CLI::App& app, CommandContext& context);    // after Case
void RegisterMoneyCommands(CLI::App& app, CommandContext& context);  // after Case
void RegisterServeCommands(CLI::App& app, CommandContext& context);
void RegisterDeliverCommands(CLI::App& app, CommandContext& context);

}  // namespace quitt::adapters::cli
