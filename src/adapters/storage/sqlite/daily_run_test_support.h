#pragma once
// Test support for the daily run on the real SQLite store: a world with one client, the shipped
// strategies, claims imported through app::ImportClaims, and a dump of everything the run writes
// (events, outbox) to compare runs. Included by test programs only.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/case_service.h"
#include "app/collection.h"
#include "app/daily_run.h"
#include "app/testing/case_store_contract.h"
#include "workflow/strategy.h"

namespace quitt::adapters::sqlite::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// de-b2c for consumers, de-b2b for businesses, from the repository's strategies/.
inline app::StrategyBook DefaultBook() {
  app::StrategyBook book;
  for (const char* id : {"de-b2c", "de-b2b"}) {
    const auto path =
        std::filesystem::path(QUITT_SOURCE_DIR) / "strategies" / (std::string(id) + ".toml");
    auto strategy = workflow::LoadStrategy(ReadText(path), path.string());
    EXPECT_TRUE(strategy.ok()) << strategy.error().ToString();
    if (strategy.ok()) {
      EXPECT_TRUE(book.Add(std::move(*strategy)).ok());
    }
  }
  EXPECT_TRUE(book.UseFor(domain::CustomerKind::kConsumer, "de-b2c").ok());
  EXPECT_TRUE(book.UseFor(domain::CustomerKind::kBusiness, "de-b2b").ok());
  return book;
}

inline std::string FreshPath(const std::string& stem) {
  static std::atomic<int> counter{0};
  auto dir =
      std::filesystem::temp_directory_path() / ("quitt-run-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / (stem + "-" + std::to_string(counter++) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

inline std::unique_ptr<SqliteCaseStore> OpenStore(const std::string& path, app::Clock& clock) {
  auto store = SqliteCaseStore::Open(path, clock);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

// Everything the run leaves behind, in key order, as text lines: every event after the claims
// (with its hash, so the recorded-at instant and the chain are compared too) and every outbox
// message.
inline std::vector<std::string> DumpRunOutput(SqliteCaseStore& store) {
  std::vector<std::string> lines;
  auto q = store.database().Prepare(
      "SELECT client_id, case_id, seq, type, effective_date, actor, payload, hex(hash) FROM "
      "case_events WHERE type NOT IN ('case_opened', 'claim_added') ORDER BY client_id, case_id, "
      "seq");
  EXPECT_TRUE(q.ok());
  while (*(*q)->Step()) {
    std::string line = "event";
    for (int i = 0; i < 8; ++i) line += " " + (*q)->Text(i);
    lines.push_back(line);
  }
  auto o = store.database().Prepare(
      "SELECT client_id, message_key, case_id, channel, template, due_date, run_date, event_seq "
      "FROM outbox ORDER BY client_id, message_key");
  EXPECT_TRUE(o.ok());
  while (*(*o)->Step()) {
    std::string line = "outbox";
    for (int i = 0; i < 8; ++i) line += " " + (*o)->Text(i);
    lines.push_back(line);
  }
  return lines;
}

// Runs `body` in a child process and returns how it ended: the exit code, or 128 + signal.
template <typename Body>
int InChildProcess(Body body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // The child never returns into the test framework and runs no destructors of the parent's
    // objects (a crash must not clean up either).
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

// The daily run in a child process that dies (abort(), like kill -9: no rollback, no cleanup) at
// `point` once it has decided `after` cases. Returns 128 + SIGABRT when it died as planned, 0 when
// the run ended before reaching that point.
inline int CrashingRun(const std::string& path, domain::Timestamp now, const app::RunOptions& base,
                       app::RunPoint point, std::int64_t after) {
  return InChildProcess([&]() -> int {
    app::FixedClock clock(now);
    auto store = SqliteCaseStore::Open(path, clock);
    if (!store.ok()) return 3;
    app::StrategyBook book = DefaultBook();
    app::RunOptions options = base;
    options.worker = "crashing";
    options.take_over = true;  // the partitions the previous crashed worker left running
    options.fault_hook = [&](app::RunPoint at, std::int64_t cases) {
      if (at == point && cases >= after) std::abort();
    };
    auto summary = app::RunDay(**store, clock, book, options);
    return summary.ok() ? 0 : 4;
  });
}

}  // namespace quitt::adapters::sqlite::testing
