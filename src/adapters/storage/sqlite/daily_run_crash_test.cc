// The daily run under crashes and concurrency, by experiment rather than by reasoning:
//  * a run process is killed (abort(), which like kill -9 skips every rollback and destructor)
//    inside a transaction, before a commit and after one, at many points, on several days with
//    skipped days between; after re-runs the events (with their hashes) and the outbox must be
//    byte for byte those of a clean run on an identical database;
//  * two processes run the same day on one SQLite file at once, sharing the partitions; the
//    result must again equal the clean run.
#include "adapters/storage/sqlite/daily_run_test_support.h"
#include "app/demo_data.h"

namespace quitt::adapters::sqlite {
namespace {

using domain::Date;

constexpr int kCases = 240;
const Date kHandOver = *Date::Parse("2026-03-02");

domain::Timestamp Now() { return app::testing::ContractNow(); }

// A database with the same demo cases every time (fixed seed and clock).
std::string MakeDemoDatabase(const std::string& stem) {
  const std::string path = testing::FreshPath(stem);
  app::FixedClock clock(Now());
  auto store = testing::OpenStore(path, clock);
  EXPECT_TRUE(store->AddClient({{}, "DEMO", "Demo GmbH", "DE"}).ok());
  app::DemoOptions demo;
  demo.cases = kCases;
  demo.seed = 7;
  demo.today = kHandOver;
  auto source = app::MakeDemoSource(demo);
  app::ImportOptions options;
  options.client_code = "DEMO";
  options.actor = "import:demo";
  options.business_date = kHandOver;
  auto report = app::ImportClaims(*store, clock, *source, options);
  EXPECT_TRUE(report.ok()) << report.error().ToString();
  return path;
}

app::RunOptions Options(Date day) {
  app::RunOptions options;
  options.as_of = day;
  options.partitions = 4;
  options.batch_cases = 16;
  options.worker = "clean";
  return options;
}

void CleanRun(const std::string& path, Date day) {
  app::FixedClock clock(Now());
  auto store = testing::OpenStore(path, clock);
  app::StrategyBook book = testing::DefaultBook();
  auto summary = app::RunDay(*store, clock, book, Options(day));
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary->partitions_pending, 0);
}

std::vector<std::string> Dump(const std::string& path) {
  app::FixedClock clock(Now());
  auto store = testing::OpenStore(path, clock);
  auto verify = app::VerifyAll(*store, std::nullopt);
  EXPECT_TRUE(verify.ok() && verify->broken.empty()) << "a hash chain is broken";
  return testing::DumpRunOutput(*store);
}

const std::vector<Date>& Days() {
  // The hand-over day, then with gaps: catch-up runs take what fell due in between.
  static const std::vector<Date> days = {kHandOver, kHandOver.AddDays(10), kHandOver.AddDays(16),
                                         kHandOver.AddDays(27), kHandOver.AddDays(45)};
  return days;
}

TEST(DailyRunCrash, KilledRunsAndReRunsLeaveExactlyTheActionsOfACleanRun) {
  const std::string clean = MakeDemoDatabase("clean");
  const std::string crashed = MakeDemoDatabase("crashed");
  ASSERT_EQ(Dump(clean), Dump(crashed));  // identical starting points
  int round = 0;
  int crashes = 0;
  for (Date day : Days()) {
    SCOPED_TRACE(day.ToString());
    CleanRun(clean, day);
    // Die at three kinds of places, at a different case count each day.
    // (A day with little due may end before the planned point; most runs must die.)
    const std::int64_t k = 5 + 7 * round++;
    for (auto [point, after] : {std::pair{app::RunPoint::kCaseDecided, k},
                                std::pair{app::RunPoint::kBatchWritten, std::int64_t{3}},
                                std::pair{app::RunPoint::kCommitted, std::int64_t{20}}}) {
      const int ended = testing::CrashingRun(crashed, Now(), Options(day), point, after);
      EXPECT_TRUE(ended == 0 || ended == 128 + SIGABRT) << ended;
      crashes += ended == 128 + SIGABRT ? 1 : 0;
    }
    // The operator re-runs; partitions the dead workers left running are taken over.
    app::RunOptions rerun = Options(day);
    rerun.take_over = true;
    app::FixedClock clock(Now());
    auto store = testing::OpenStore(crashed, clock);
    app::StrategyBook book = testing::DefaultBook();
    auto summary = app::RunDay(*store, clock, book, rerun);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();
    EXPECT_EQ(summary->partitions_pending, 0);
    // And once more: the same date again records nothing.
    auto again = app::RunDay(*store, clock, book, rerun);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->events, 0);
    EXPECT_EQ(again->outbox, 0);
    store.reset();
    const auto expected = Dump(clean);
    EXPECT_GT(expected.size(), static_cast<std::size_t>(kCases));
    ASSERT_EQ(Dump(crashed), expected);
  }
  EXPECT_GE(crashes, 10);
}

TEST(DailyRunCrash, TwoProcessesShareOneRunWithoutDoingAnythingTwice) {
  const std::string clean = MakeDemoDatabase("clean2");
  const std::string shared = MakeDemoDatabase("shared");
  for (Date day : Days()) {
    SCOPED_TRACE(day.ToString());
    CleanRun(clean, day);
    auto worker = [&](const char* name) {
      return [&shared, day, name]() -> int {
        app::FixedClock clock(Now());
        auto store = SqliteCaseStore::Open(shared, clock);
        if (!store.ok()) return 3;
        app::StrategyBook book = testing::DefaultBook();
        app::RunOptions options = Options(day);
        options.partitions = 8;
        options.batch_cases = 8;
        options.worker = name;
        auto summary = app::RunDay(**store, clock, book, options);
        if (!summary.ok())
          std::fprintf(stderr, "worker %s: %s\n", name, summary.error().ToString().c_str());
        // partitions_pending may be above 0: the other worker may still be busy with one.
        return summary.ok() ? 0 : 4;
      };
    };
    // Both children start at once and compete for the partitions and the write lock.
    std::fflush(nullptr);
    const pid_t a = fork();
    if (a == 0) _exit(worker("a")());
    const pid_t b = fork();
    if (b == 0) _exit(worker("b")());
    int status_a = 0, status_b = 0;
    waitpid(a, &status_a, 0);
    waitpid(b, &status_b, 0);
    ASSERT_TRUE(WIFEXITED(status_a) && WEXITSTATUS(status_a) == 0);
    ASSERT_TRUE(WIFEXITED(status_b) && WEXITSTATUS(status_b) == 0);
    {
      app::FixedClock clock(Now());
      auto store = testing::OpenStore(shared, clock);
      auto partitions = *store->ListRunPartitions(day);
      ASSERT_EQ(partitions.size(), 8u);
      for (const auto& p : partitions) EXPECT_EQ(p.status, "done");
    }
    ASSERT_EQ(Dump(shared), Dump(clean));
  }
}

}  // namespace
}  // namespace quitt::adapters::sqlite
