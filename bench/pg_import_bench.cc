// PostgreSQL import benchmark: prints claims/s for importing demo claims (app::MakeDemoSource)
// through app::ImportClaims into PostgreSQL, into an empty database and then the same rows again
// (everything already there), plus the raw insert ceiling of the same wire path.
//
// Usage: pg_import_bench [claims=200000] [postgresql://... | --fast]
// Without a URL it starts a throw-away cluster on 127.0.0.1 with tests/pg/pg_cluster.sh (durable
// settings: fsync on, like a real server; --fast turns fsync off) and stops it at the end.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "adapters/storage/postgres/pg_test_cluster.h"
#include "adapters/storage/postgres/postgres_case_store.h"
#include "app/demo_data.h"
#include "app/import_claims.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
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

// The first `limit` rows of another source.
class LimitedSource : public quitt::app::ClaimSource {
 public:
  LimitedSource(std::unique_ptr<quitt::app::ClaimSource> inner, std::int64_t limit)
      : inner_(std::move(inner)), limit_(limit) {}
  quitt::Result<bool> Next(quitt::app::IntakeRow& row) override {
    if (rows_ >= limit_) return false;
    QUITT_ASSIGN_OR_RETURN(bool more, inner_->Next(row));
    rows_ += more;
    return more;
  }
  const std::string& name() const override { return inner_->name(); }
  std::int64_t position() const override { return rows_; }
  std::int64_t size() const override { return limit_; }

 private:
  std::unique_ptr<quitt::app::ClaimSource> inner_;
  std::int64_t limit_;
  std::int64_t rows_ = 0;
};

int Fail(const quitt::Status& status) {
  std::cerr << "pg_import_bench: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t claims = argc > 1 ? std::stoll(argv[1]) : 200000;
  std::string url = argc > 2 ? argv[2] : "";
  const bool fast = url == "--fast";
  if (fast) url.clear();

  std::unique_ptr<quitt::adapters::postgres::ThrowAwayCluster> cluster;
  if (url.empty()) {
    auto started =
        quitt::adapters::postgres::ThrowAwayCluster::Start(QUITT_PG_CLUSTER_SCRIPT, fast);
    if (!started) return Fail(started.error());
    cluster = std::move(*started);
    url = cluster->url();
    std::printf("server: throw-away PostgreSQL cluster on 127.0.0.1:%d (%s)\n", cluster->port(),
                fast ? "fsync off" : "fsync on, durable commits");
  } else {
    std::printf("server: %s\n", url.c_str());
  }

  BenchClock clock;
  auto store = quitt::adapters::postgres::PostgresCaseStore::Open(url, clock);
  if (!store) return Fail(store.error());
  auto& db = (*store)->connection();
  auto version = db.Query("SELECT current_setting('server_version')");
  if (version)
    std::printf("PostgreSQL %s, %lld demo claims\n", version->String(0, 0).c_str(),
                static_cast<long long>(claims));

  // Raw ceiling: the same number of rows as wide as a claim event, one unnest INSERT per 10,000
  // rows, one transaction: what any import through this wire path can reach at best.
  {
    if (auto status = db.Exec("DROP TABLE IF EXISTS bench_raw; CREATE UNLOGGED TABLE bench_raw "
                              "(client_id bigint, id bigint, ref text, payload text, "
                              "PRIMARY KEY (client_id, id))");
        !status.ok()) {
      return Fail(status);
    }
    std::string payload(420, 'x');  // a claim_added payload is about 420 bytes
    auto start = SteadyClock::now();
    (void)db.Exec("BEGIN");
    for (std::int64_t first = 1; first <= claims; first += 10000) {
      quitt::adapters::postgres::ArrayLiteral ids, refs, payloads;
      for (std::int64_t i = first; i < first + 10000 && i <= claims; ++i) {
        ids.Add(i);
        refs.Add(std::string_view("RE-" + std::to_string(i)));
        payloads.Add(std::string_view(payload));
      }
      auto inserted = db.Query(
          "INSERT INTO bench_raw SELECT 1, * FROM unnest($1::bigint[], $2::text[], $3::text[])",
          quitt::adapters::postgres::Params()
              .Add(ids.Finish())
              .Add(refs.Finish())
              .Add(payloads.Finish()));
      if (!inserted) return Fail(inserted.error());
    }
    (void)db.Exec("COMMIT");
    double seconds = SecondsSince(start);
    std::printf("raw unnest insert: %9.0f rows/s   (%lld rows of ~450 bytes, unlogged, %.2f s)\n",
                static_cast<double>(claims) / seconds, static_cast<long long>(claims), seconds);
    (void)db.Exec("DROP TABLE bench_raw");
  }

  if (auto added = (*store)->AddClient({{}, "BENCH", "Benchmark GmbH", "DE"}); !added) {
    return Fail(added.error());
  }
  for (const char* round : {"import (new)", "import (again)"}) {
    quitt::app::DemoOptions demo;
    demo.cases = claims * 100 / 130 + 1000;  // about 1.3 claims per case; cut at `claims` rows
    demo.today = *quitt::domain::Date::Parse("2026-11-23");
    LimitedSource source(quitt::app::MakeDemoSource(demo), claims);
    quitt::app::ImportOptions options;
    options.client_code = "BENCH";
    options.actor = "import:bench";
    options.business_date = *quitt::domain::Date::Parse("2026-11-23");
    auto start = SteadyClock::now();
    auto report = quitt::app::ImportClaims(**store, clock, source, options);
    double seconds = SecondsSince(start);
    if (!report) return Fail(report.error());
    std::printf(
        "%-18s %9.0f claims/s (%lld rows: %lld imported, %lld unchanged, %lld cases; %.2f s, "
        "peak RSS %ld MB)\n",
        (std::string(round) + ":").c_str(), static_cast<double>(report->rows) / seconds,
        static_cast<long long>(report->rows), static_cast<long long>(report->imported),
        static_cast<long long>(report->unchanged), static_cast<long long>(report->cases_opened),
        seconds, PeakRssMb());
  }
  auto size = db.Query("SELECT pg_database_size(current_database()) / (1024 * 1024)");
  if (size) std::printf("database: %lld MB\n", static_cast<long long>(size->Int(0, 0)));
  return 0;
}
