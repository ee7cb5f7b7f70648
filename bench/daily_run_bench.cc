// Daily-run benchmark (issue 4): N open demo cases on SQLite, then the daily run with all its
// writes (events with their hash chain, collection rows, case heads, outbox, partitions).
//
//   daily_run_bench [--spread DAYS] [N ...]
//       default: 100000 and 1000000 handed over on one day, then 1000000 spread over 30 days
//
// For each N, in its own process: import N demo cases (not part of the run, printed for scale),
// then, in a fresh child process (so its peak memory is the run's own), build the collection rows
// from the cases (once per new case, normally done by the first run after an import) and run:
//   all on one day (the worst case, every case acts on both working days):
//     day 1   the hand-over day: every case gets its variant and first steps,
//     day 15  a catch-up run two weeks later: second reminders, SMS, calls for most cases,
//     day 15  the same date again: nothing new (idempotence costs one pass over the due rows),
//     day 16  a quiet day: almost nothing due; the run only looks at cases whose next check is due.
//   --spread DAYS (steady state: N/DAYS cases handed over on each of DAYS consecutive days):
//     first run   on the last hand-over day, catching every cohort up to its step,
//     next day    a typical day: only the cases whose next step falls due act,
//     again       the same date again,
//     next day    another typical day.
// Figures: wall time, cases decided per second, per open case, events and outbox rows, peak RSS.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/daily_run.h"
#include "app/demo_data.h"
#include "app/import_claims.h"
#include "workflow/strategy.h"

namespace {

using quitt::domain::Date;

// jemalloc's control interface when the program is linked with it (cmake/QuittAllocator.cmake),
// null otherwise.
extern "C" int mallctl(const char* name, void* old_value, size_t* old_size, void* new_value,
                       size_t new_size) __attribute__((weak));

// Gives the memory the import freed back to the system before the run's process is forked, so
// the run's peak RSS is its own and not what the allocator kept of the import.
void ReturnFreedMemory() {
  if (mallctl != nullptr) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

long CurrentRssMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

quitt::app::StrategyBook LoadBook() {
  quitt::app::StrategyBook book;
  for (const char* id : {"de-b2c", "de-b2b"}) {
    const std::string path = std::string(QUITT_SOURCE_DIR) + "/strategies/" + id + ".toml";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto strategy = quitt::workflow::LoadStrategy(text.str(), path);
    if (!strategy.ok()) {
      std::fprintf(stderr, "%s\n", strategy.error().ToString().c_str());
      std::exit(2);
    }
    (void)book.Add(std::move(*strategy));
  }
  (void)book.UseFor(quitt::domain::CustomerKind::kConsumer, "de-b2c");
  (void)book.UseFor(quitt::domain::CustomerKind::kBusiness, "de-b2b");
  return book;
}

struct Plan {
  std::int64_t cases = 0;
  int spread_days = 0;  // 0: every case handed over on one day
};

// Imports the population of `plan`; returns the number of claims.
std::int64_t ImportPopulation(quitt::adapters::sqlite::SqliteCaseStore& store,
                              quitt::app::FixedClock& clock, const Plan& plan, Date first_day) {
  const int cohorts = plan.spread_days > 0 ? plan.spread_days : 1;
  const std::int64_t cohort_size = plan.cases / cohorts;
  std::int64_t claims = 0;
  for (int k = 0; k < cohorts; ++k) {
    quitt::app::DemoOptions demo;
    demo.cases = k + 1 == cohorts ? plan.cases - cohort_size * k : cohort_size;
    demo.seed = 42 + static_cast<std::uint64_t>(k);
    demo.today = first_day.AddDays(k);
    demo.first_number = k * 5 * cohort_size;  // at most four claims per case
    auto source = quitt::app::MakeDemoSource(demo);
    quitt::app::ImportOptions import;
    import.client_code = "DEMO";
    import.actor = "import:bench";
    import.business_date = demo.today;
    import.keep_good_rows = true;
    import.batch_rows = 50000;
    auto report = quitt::app::ImportClaims(store, clock, *source, import);
    if (!report.ok()) {
      std::fprintf(stderr, "%s\n", report.error().ToString().c_str());
      std::exit(2);
    }
    claims += report->imported;
    if (k + 1 < cohorts) clock.Advance(24 * 3600);
  }
  return claims;
}

std::string DatabasePath(const Plan& plan) {
  const auto dir = std::filesystem::temp_directory_path() / "quitt-daily-run-bench";
  std::filesystem::create_directories(dir);
  return (dir /
          ("run-" + std::to_string(plan.cases) + "-" + std::to_string(plan.spread_days) + ".db"))
      .string();
}

int RunDays(const Plan& plan, const std::string& path, Date first_day,
            quitt::domain::Timestamp start_time);

int RunSize(const Plan& plan) {
  const std::string path = DatabasePath(plan);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const Date first_day = *Date::Parse("2026-03-02");
  quitt::app::FixedClock clock(*quitt::domain::Timestamp::Parse("2026-03-02T06:00:00Z"));
  {
    auto opened = quitt::adapters::sqlite::SqliteCaseStore::Open(path, clock);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.error().ToString().c_str());
      return 2;
    }
    auto& store = **opened;
    (void)store.AddClient({{}, "DEMO", "Demo GmbH", "DE"});
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t claims = ImportPopulation(store, clock, plan, first_day);
    if (plan.spread_days > 0) {
      std::printf(
          "N = %lld open cases (%lld claims), %lld handed over on each of %d days: import %.1f s, "
          "peak RSS %ld MB (setup, not the run)\n",
          static_cast<long long>(plan.cases), static_cast<long long>(claims),
          static_cast<long long>(plan.cases / plan.spread_days), plan.spread_days, Seconds(start),
          PeakRssMb());
    } else {
      std::printf(
          "N = %lld open cases (%lld claims), all handed over on one day: import %.1f s, peak "
          "RSS %ld MB (setup, not the run)\n",
          static_cast<long long>(plan.cases), static_cast<long long>(claims), Seconds(start),
          PeakRssMb());
    }
  }
  ReturnFreedMemory();
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    const int code = RunDays(plan, path, first_day, clock.Now());
    std::fflush(nullptr);
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int RunDays(const Plan& plan, const std::string& path, Date first_day,
            quitt::domain::Timestamp start_time) {
  const std::int64_t cases = plan.cases;
  quitt::app::FixedClock clock(start_time);
  auto opened = quitt::adapters::sqlite::SqliteCaseStore::Open(path, clock);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().ToString().c_str());
    return 2;
  }
  auto& store = **opened;
  const long start_rss_mb = CurrentRssMb();
  auto start = std::chrono::steady_clock::now();
  const quitt::app::StrategyBook book = LoadBook();
  if (const char* pragma = std::getenv("BENCH_PRAGMA")) (void)store.database().Exec(pragma);
  start = std::chrono::steady_clock::now();
  auto rows = quitt::app::SyncCollectionRows(store, clock, book, 20000);
  if (!rows.ok()) {
    std::fprintf(stderr, "%s\n", rows.error().ToString().c_str());
    return 2;
  }
  double s = Seconds(start);
  std::printf("  run process RSS at its start: %ld MB (inherited from the import's process)\n",
              start_rss_mb);
  std::printf("  collection rows built   %9lld rows in %6.2f s  %9.0f rows/s\n",
              static_cast<long long>(*rows), s, static_cast<double>(*rows) / s);

  struct Day {
    const char* name;
    Date date;
  };
  const Date last_day = first_day.AddDays(plan.spread_days > 0 ? plan.spread_days - 1 : 0);
  const std::vector<Day> days =
      plan.spread_days > 0 ? std::vector<Day>{{"first run (catch-up)", last_day},
                                              {"next day (typical) ", last_day.AddDays(1)},
                                              {"next day again     ", last_day.AddDays(1)},
                                              {"day after (typical)", last_day.AddDays(2)}}
                           : std::vector<Day>{{"day 1 (hand-over)  ", first_day},
                                              {"day 15 (catch-up)  ", first_day.AddDays(14)},
                                              {"day 15 again       ", first_day.AddDays(14)},
                                              {"day 16 (quiet)     ", first_day.AddDays(15)}};
  for (const Day& day : days) {
    quitt::app::RunOptions options;
    options.as_of = day.date;
    options.partitions = 4;
    options.worker = "bench";
    // Where the time goes, from the run's hook points: loading a batch (until its first case is
    // decided), deciding and sealing events, writing the batch, committing.
    double phase[4] = {0, 0, 0, 0};
    auto mark = std::chrono::steady_clock::now();
    quitt::app::RunPoint last = quitt::app::RunPoint::kCommitted;
    options.fault_hook = [&](quitt::app::RunPoint point, std::int64_t) {
      const auto now = std::chrono::steady_clock::now();
      const double d = std::chrono::duration<double>(now - mark).count();
      mark = now;
      if (point == quitt::app::RunPoint::kCaseDecided) {
        phase[last == quitt::app::RunPoint::kCommitted ? 0 : 1] += d;
      } else if (point == quitt::app::RunPoint::kBatchWritten) {
        phase[2] += d;
      } else {
        phase[3] += d;
      }
      last = point;
    };
    start = std::chrono::steady_clock::now();
    mark = start;
    const double cpu_before = CpuSeconds();
    auto summary = quitt::app::RunDay(store, clock, book, options);
    s = Seconds(start);
    const double cpu = CpuSeconds() - cpu_before;
    if (!summary.ok()) {
      std::fprintf(stderr, "%s\n", summary.error().ToString().c_str());
      return 2;
    }
    std::printf(
        "  run %s %9lld cases decided in %6.2f s  %9.0f cases/s per open case: %9.0f/s  "
        "events %9lld  outbox %9lld\n",
        day.name, static_cast<long long>(summary->cases_seen), s,
        static_cast<double>(summary->cases_seen) / s, static_cast<double>(cases) / s,
        static_cast<long long>(summary->events), static_cast<long long>(summary->outbox));
    // The run is one thread: its CPU time is what the wall time is on an otherwise idle machine.
    std::printf("      CPU %.2f s (user+system): %9.0f cases/s per open case on an idle core\n",
                cpu, static_cast<double>(cases) / cpu);
    if (summary->cases_seen > 0) {
      std::printf("      load %.2f s, decide+events %.2f s, write %.2f s, commit %.2f s\n",
                  phase[0], phase[1], phase[2], phase[3]);
    }
    clock.Advance(24 * 3600);
  }
  std::printf("  peak memory of the run (RSS) %ld MB; database %.0f MB\n", PeakRssMb(),
              static_cast<double>(std::filesystem::file_size(path) +
                                  (std::filesystem::exists(path + "-wal")
                                       ? std::filesystem::file_size(path + "-wal")
                                       : 0)) /
                  1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Plan> plans;
  int spread = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--spread" && i + 1 < argc) {
      spread = std::atoi(argv[++i]);
      continue;
    }
    plans.push_back({std::atoll(argv[i]), spread});
  }
  if (plans.empty()) plans = {{100000, 0}, {1000000, 0}, {1000000, 30}};
  std::printf(
      "daily run benchmark: SQLite (WAL, synchronous=FULL), 4 partitions, one worker, "
      "batches of 4,000 cases per transaction\n");
  for (const Plan& plan : plans) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
      const int code = RunSize(plan);
      std::fflush(nullptr);
      _exit(code);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  return 0;
}
