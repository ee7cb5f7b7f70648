// Claim import benchmark: prints, for the same machine and the same generated file,
//   1. the parse rate of the CSV reader alone (rows/s),
//   2. the raw SQLite insert rate (prepared INSERT of rows as wide as a claim, one transaction):
//      the ceiling any import into SQLite can reach,
//   3. the full `import claims` rate into a fresh database (claims/s) and its peak memory,
//   4. the rate of importing the same file again (everything already there),
//   5. a daily hand-over of 10,000 new claims into the client that now has them all (the import
//      looks the file's references up instead of loading every claim of the client).
// Usage: import_bench [claims=1000000] [work_dir=/tmp/quitt-bench]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "adapters/intake/claim_file_reader.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/demo_data.h"
#include "app/import_claims.h"

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

class BenchClock : public quitt::app::Clock {
 public:
  quitt::domain::Timestamp Now() override {
    return quitt::domain::Timestamp::FromUnixMicros(1795000000LL * 1000000);
  }
};

int Fail(const quitt::Status& status) {
  std::cerr << "import_bench: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t claims = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const std::filesystem::path dir = argc > 2 ? argv[2] : "/tmp/quitt-bench";
  std::filesystem::create_directories(dir);
  const std::string csv = (dir / "claims.csv").string();
  const std::string db = (dir / "import.db").string();

  // The input: demo claims (about 1.35 claims per case), as a German semicolon CSV.
  {
    quitt::app::DemoOptions options;
    options.cases = claims * 100 / 135;
    options.today = *quitt::domain::Date::Parse("2026-11-23");
    auto source = quitt::app::MakeDemoSource(options);
    std::ofstream file(csv, std::ios::binary);
    file << quitt::app::DemoCsvHeader();
    quitt::app::IntakeRow row;
    std::int64_t written = 0;
    while (written < claims && *source->Next(row)) {
      file << quitt::app::DemoCsvRow(row);
      ++written;
    }
  }
  // 5.'s input: 10,000 claims of new customers (other references, same kind of rows).
  const std::string daily_csv = (dir / "daily.csv").string();
  {
    quitt::app::DemoOptions options;
    options.cases = 10000 * 100 / 135;
    options.first_number = claims * 2 + 1;
    options.today = *quitt::domain::Date::Parse("2026-11-24");
    auto source = quitt::app::MakeDemoSource(options);
    std::ofstream file(daily_csv, std::ios::binary);
    file << quitt::app::DemoCsvHeader();
    quitt::app::IntakeRow row;
    for (int written = 0; written < 10000 && *source->Next(row); ++written) {
      file << quitt::app::DemoCsvRow(row);
    }
  }
  const auto file_mb = std::filesystem::file_size(csv) / (1024 * 1024);
  std::printf("input: %lld claims, %llu MB CSV (%s)\n", static_cast<long long>(claims),
              static_cast<unsigned long long>(file_mb), csv.c_str());

  // 1. Parse rate.
  {
    quitt::adapters::intake::ReaderOptions options;
    options.read_ahead = false;
    auto source = quitt::adapters::intake::OpenClaimFile(csv, options);
    if (!source) return Fail(source.error());
    auto start = Clock::now();
    quitt::app::IntakeRow row;
    std::int64_t rows = 0, bad = 0;
    while (*(*source)->Next(row)) {
      ++rows;
      bad += !row.problems.empty();
    }
    double seconds = SecondsSince(start);
    std::printf("parse only:        %9.0f rows/s   (%lld rows, %lld bad, %.2f s, one core)\n",
                static_cast<double>(rows) / seconds, static_cast<long long>(rows),
                static_cast<long long>(bad), seconds);
  }

  // 2. Raw SQLite ceiling: the same number of rows, as wide as a claim row plus its event.
  {
    std::filesystem::remove(dir / "raw.db");
    std::filesystem::remove(dir / "raw.db-wal");
    auto database = quitt::adapters::sqlite::Database::Open((dir / "raw.db").string());
    if (!database) return Fail(database.error());
    auto& raw = **database;
    (void)raw.Exec(
        "CREATE TABLE t (client_id INTEGER, id INTEGER, ref TEXT, payload TEXT, "
        "PRIMARY KEY (client_id, id)) WITHOUT ROWID");
    std::string payload(420, 'x');  // a claim_added payload is about 420 bytes
    auto start = Clock::now();
    (void)raw.Exec("BEGIN");
    auto insert = raw.Prepare("INSERT INTO t VALUES (1, ?, ?, ?)");
    for (std::int64_t i = 1; i <= claims; ++i) {
      (*insert)->Bind(1, i).Bind(2, "RE-" + std::to_string(i)).Bind(3, payload);
      if (!(*insert)->Run().ok()) return 1;
    }
    insert->reset();
    (void)raw.Exec("COMMIT");
    double seconds = SecondsSince(start);
    std::printf(
        "raw SQLite insert: %9.0f rows/s   (%lld rows of ~450 bytes, %.2f s): the ceiling\n",
        static_cast<double>(claims) / seconds, static_cast<long long>(claims), seconds);
  }

  // 3. Full import into a fresh database, 4. the same file again. Each runs in a child process,
  // as `quitt import claims` would, so its peak memory is its own.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  BenchClock clock;
  {
    auto store = quitt::adapters::sqlite::SqliteCaseStore::Open(db, clock);
    if (!store) return Fail(store.error());
    if (auto added = (*store)->AddClient({{}, "BENCH", "Benchmark GmbH", "DE"}); !added) {
      return Fail(added.error());
    }
  }
  for (const char* round : {"import (new)", "import (again)", "daily 10,000 new"}) {
    std::fflush(stdout);
    // Each round starts with nothing left to write back from the rounds before (a large import
    // is bounded by the disk at its end; a gigabyte still being written from the previous round
    // made the figures vary by a second).
    ::sync();
    pid_t child = fork();
    if (child == 0) {
      auto store = quitt::adapters::sqlite::SqliteCaseStore::Open(db, clock);
      if (!store) std::_Exit(Fail(store.error()));
      const bool daily = std::string(round).starts_with("daily");
      auto source = quitt::adapters::intake::OpenClaimFile(daily ? daily_csv : csv, {});
      if (!source) std::_Exit(Fail(source.error()));
      quitt::app::ImportOptions options;
      options.client_code = "BENCH";
      options.actor = "import:bench";
      options.business_date = *quitt::domain::Date::Parse("2026-11-23");
      auto start = Clock::now();
      auto report = quitt::app::ImportClaims(**store, clock, **source, options);
      if (!report) std::_Exit(Fail(report.error()));
      // Closed as `quitt import claims` closes it (SQLite removes the WAL then), within the time.
      store->reset();
      double seconds = SecondsSince(start);
      rusage usage{};
      getrusage(RUSAGE_SELF, &usage);
      std::printf(
          "%-18s %9.0f claims/s (%lld rows: %lld imported, %lld unchanged, %lld cases; "
          "%.2f s, %.1f s CPU, peak RSS %ld MB)\n",
          (std::string(round) + ":").c_str(), static_cast<double>(report->rows) / seconds,
          static_cast<long long>(report->rows), static_cast<long long>(report->imported),
          static_cast<long long>(report->unchanged), static_cast<long long>(report->cases_opened),
          seconds,
          static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
              static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
          PeakRssMb());
      std::fflush(stdout);
      std::_Exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  std::printf("database: %llu MB\n",
              static_cast<unsigned long long>(std::filesystem::file_size(db) / (1024 * 1024)));
  return 0;
}
