#pragma once
// The `quitt` command line as a function, so tests run it like a user does (golden files of its
// output) and main() stays a composition root.
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "app/ports.h"

namespace quitt::adapters::cli {

struct CliEnvironment {
  std::ostream& out;
  std::ostream& err;
  // The wall clock (main passes the system clock); replaced by a fixed clock when --now is given.
  app::Clock& clock;
  // Today's business date where quitt runs (main computes it in the local time zone).
  domain::Date today;
  bool progress_on_terminal = false;  // stderr is a terminal: show progress lines
  std::string default_db = "quitt.db";
};

// Runs one command line; returns the process exit code: 0 success, 1 the command ran but found
// problems (bad rows, a broken chain), 2 wrong usage or the command could not run.
int RunCli(const std::vector<std::string>& args, CliEnvironment& env);

}  // namespace quitt::adapters::cli
