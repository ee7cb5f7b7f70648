#include "adapters/storage/postgres/postgres_case_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/storage/postgres/pg_test_schema.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/daily_run.h"
#include "app/demo_data.h"
#include "app/testing/case_store_contract.h"
#include "workflow/strategy.h"

namespace quitt::adapters::postgres {
namespace {

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

struct PostgresFactory {
  static std::unique_ptr<app::CaseStore> Make(app::Clock& clock) {
    if (TestCluster() == nullptr) return nullptr;
    auto store = PostgresCaseStore::Open(FreshSchema(), clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
};

}  // namespace
}  // namespace quitt::adapters::postgres

namespace quitt::app::testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, CaseStoreContract,
                               ::testing::Types<quitt::adapters::postgres::PostgresFactory>);
}  // namespace quitt::app::testing

namespace quitt::adapters::postgres {
namespace {

using app::testing::ContractNow;
using app::testing::ContractRow;

std::unique_ptr<PostgresCaseStore> OpenFresh(app::Clock& clock, std::string* conninfo = nullptr) {
  std::string info = FreshSchema();
  if (conninfo) *conninfo = info;
  auto store = PostgresCaseStore::Open(info, clock);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

Status ImportRows(app::CaseStore& store, app::Clock& clock, std::vector<app::IntakeRow> rows) {
  app::testing::VectorSource source(std::move(rows));
  app::ImportOptions options;
  options.client_code = "ACME";
  options.actor = "import:test";
  options.business_date = *domain::Date::Parse("2026-11-23");
  auto report = app::ImportClaims(store, clock, source, options);
  return report.ok() ? OkStatus() : report.error();
}

TEST(PostgresStore, MigrationsRunOnceAndAreRecorded) {
  app::FixedClock clock(ContractNow());
  std::string conninfo;
  auto store = OpenFresh(clock, &conninfo);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Migrate()->empty());  // applied by Open already
  auto again = PostgresCaseStore::Open(conninfo, clock);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  auto rows = (*again)->connection().Query("SELECT count(*), min(name) FROM schema_migrations");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->Int(0, 0), static_cast<std::int64_t>(EmbeddedMigrations().size()));
  EXPECT_EQ(rows->String(0, 1), "0001_initial.sql");
}

TEST(PostgresStore, EverySqliteMigrationHasItsPostgresMirror) {
  auto names = [](const std::string& dir) {
    std::set<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".sql") found.insert(entry.path().filename().string());
    }
    return found;
  };
  const std::string storage = std::string(QUITT_SOURCE_DIR) + "/src/adapters/storage/";
  EXPECT_EQ(names(storage + "postgres/migrations"), names(storage + "sqlite/migrations"))
      << "a schema change needs the same numbered file in both folders";
  std::set<std::string> embedded;
  for (const auto& migration : EmbeddedMigrations()) embedded.insert(migration.name);
  EXPECT_EQ(embedded, names(storage + "postgres/migrations"));
}

TEST(PostgresStore, NewEventsFeedTheWebhookOutboxOfActiveEndpoints) {
  app::FixedClock clock(ContractNow());
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  auto client = store->AddClient({{}, "ACME", "Acme", "DE"});
  ASSERT_TRUE(client.ok());
  auto& db = store->connection();
  ASSERT_TRUE(db.Query("INSERT INTO webhook_endpoints(client_id, endpoint_id, url, secret, active, "
                       "created_at) VALUES ($1, 1, 'https://a.example/hook', 's', true, now()), "
                       "($1, 2, 'https://b.example/hook', 's', false, now())",
                       Params().Add(client->id.value()))
                  .ok());
  ASSERT_TRUE(
      ImportRows(*store, clock, {ContractRow(2, "R1", "K1", 100), ContractRow(3, "R2", "K2", 100)})
          .ok());
  auto rows = db.Query("SELECT count(*), min(endpoint_id), max(endpoint_id) FROM webhook_outbox");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ(rows->Int(0, 0), 4);  // two cases, opened + claim added each, active endpoint only
  EXPECT_EQ(rows->Int(0, 1), 1);
  EXPECT_EQ(rows->Int(0, 2), 1);
}

TEST(PostgresStore, HistoryRowsCannotBeUpdatedDeletedOrTruncated) {
  app::FixedClock clock(ContractNow());
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  ASSERT_TRUE(ImportRows(*store, clock, {ContractRow(2, "R1", "K1", 100)}).ok());
  auto& db = store->connection();
  Status update = db.Exec("UPDATE case_events SET actor = 'x'");
  EXPECT_EQ(update.code(), StatusCode::kFailedPrecondition) << update.ToString();
  EXPECT_NE(update.message().find("append-only"), std::string::npos);
  EXPECT_FALSE(db.Exec("DELETE FROM case_events").ok());
  EXPECT_FALSE(db.Exec("TRUNCATE case_events").ok());
  auto count = db.Query("SELECT count(*) FROM case_events");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->Int(0, 0), 2);  // case opened + claim added
}

TEST(PostgresStore, VerifyFindsAnEditMadeBehindQuittsBack) {
  app::FixedClock clock(ContractNow());
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  ASSERT_TRUE(ImportRows(*store, clock,
                         {ContractRow(2, "R1", "K1", 10000), ContractRow(3, "R2", "K1", 20000)})
                  .ok());
  // Someone with database access drops the guard and lowers a claim in the stored history.
  auto& db = store->connection();
  ASSERT_TRUE(db.Exec("DROP TRIGGER case_events_are_never_updated ON case_events").ok());
  ASSERT_TRUE(
      db.Exec("UPDATE case_events SET payload = replace(payload, '200.00', '2.00') WHERE seq = 3")
          .ok());
  auto report = app::VerifyAll(*store, std::nullopt);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->broken.size(), 1u);
  EXPECT_NE(report->broken[0].status.message().find("event 3"), std::string::npos)
      << report->broken[0].status.message();
}

TEST(PostgresStore, TypesRoundTripExactly) {
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00.123456Z"));
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  app::IntakeRow row = ContractRow(2, "R\"1\\,{}", "K 1", 123456789012);
  row.customer.name = "Jörg \"Quote\" O'Brien, {NULL}\t\\N\r\nZeile 2";
  row.customer.birth_date = *domain::Date::Parse("1961-02-28");
  row.customer.phones = {"+4930123456", "+4917012345678"};
  row.claim.obligation_date = *domain::Date::Parse("1999-12-31");
  ASSERT_TRUE(ImportRows(*store, clock, {row}).ok());
  app::CaseFilter all;
  auto cases = *store->ListCases(all);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].principal.minor_units(), 123456789012);
  EXPECT_EQ(cases[0].updated_at, clock.Now());
  EXPECT_EQ(cases[0].customer_name, row.customer.name);
  auto customer = *store->FindCustomer(cases[0].client, cases[0].customer);
  ASSERT_TRUE(customer.has_value());
  EXPECT_EQ(customer->name, row.customer.name);
  EXPECT_EQ(customer->birth_date, row.customer.birth_date);
  EXPECT_EQ(customer->phones, row.customer.phones);
  auto history = *store->LoadHistory(cases[0].client, cases[0].id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].event.recorded_at, clock.Now());
  EXPECT_TRUE(domain::VerifyChain(history).ok());
  auto index = *store->LoadImportIndex(cases[0].client);
  ASSERT_EQ(index.claims_by_ref.count("R\"1\\,{}"), 1u);
  EXPECT_EQ(index.claims_by_ref.at("R\"1\\,{}").principal_minor, 123456789012);
  app::CaseFilter by_name;
  by_name.customer_name_contains = "jörg \"quote";
  by_name.opened_from = *domain::Date::Parse("2026-11-23");
  by_name.customer_kind = domain::CustomerKind::kConsumer;
  EXPECT_EQ(store->ListCases(by_name)->size(), 1u);
  by_name.opened_from = *domain::Date::Parse("2026-11-24");
  EXPECT_TRUE(store->ListCases(by_name)->empty());
}

TEST(PostgresStore, ConcurrentReservationsNeverOverlap) {
  app::FixedClock clock(ContractNow());
  std::string conninfo;
  auto first = OpenFresh(clock, &conninfo);
  ASSERT_NE(first, nullptr);
  auto second = PostgresCaseStore::Open(conninfo, clock);
  ASSERT_TRUE(second.ok());
  std::vector<std::int64_t> a, b;
  auto reserve = [](PostgresCaseStore& store, std::vector<std::int64_t>& out) {
    for (int i = 0; i < 200; ++i) {
      auto transaction = store.Begin();
      ASSERT_TRUE(transaction.ok());
      auto id = store.ReserveIds(app::IdKind::kClaim, 7);
      ASSERT_TRUE(id.ok()) << id.error().ToString();
      out.push_back(*id);
      // Half of them roll back: their ids must not come back either.
      if (i % 2 == 0) {
        ASSERT_TRUE((*transaction)->Commit().ok());
      }
    }
  };
  std::thread other([&] { reserve(**second, b); });
  reserve(*first, a);
  other.join();
  std::vector<std::int64_t> all = a;
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 400u);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(all[i], all[i - 1] + 7) << "blocks overlap at " << all[i];
  }
}

TEST(PostgresStore, TwoWritersOnOneCaseTheSecondIsAborted) {
  app::FixedClock clock(ContractNow());
  std::string conninfo;
  auto first = OpenFresh(clock, &conninfo);
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  ASSERT_TRUE(ImportRows(*first, clock, {ContractRow(2, "R1", "K1", 100)}).ok());
  auto second = PostgresCaseStore::Open(conninfo, clock);
  ASSERT_TRUE(second.ok());
  auto summary = (*first->ListCases({}))[0];
  // Both read the case at seq 2 and append seq 3; the one committing second must lose.
  auto history = *first->LoadHistory(summary.client, summary.id);
  auto note = [&](const char* text) {
    app::WriteBatch batch;
    domain::CaseEvent event{summary.client,
                            summary.id,
                            3,
                            *domain::Date::Parse("2026-11-23"),
                            ContractNow(),
                            "user:anna",
                            domain::NoteAdded{text}};
    batch.events.push_back(domain::Seal(event, history.back().hash));
    return batch;
  };
  auto t1 = first->Begin();
  ASSERT_TRUE(t1.ok());
  ASSERT_TRUE(first->Write(note("first")).ok());
  auto t2 = (*second)->Begin();
  ASSERT_TRUE(t2.ok());
  Status second_write;
  std::thread blocked([&] { second_write = (*second)->Write(note("second")); });
  ASSERT_TRUE((*t1)->Commit().ok());
  blocked.join();
  EXPECT_EQ(second_write.code(), StatusCode::kAborted) << second_write.ToString();
  EXPECT_EQ((*t2)->Commit().code(), StatusCode::kAborted);
  EXPECT_EQ(first->LoadHistory(summary.client, summary.id)->size(), 3u);
}

TEST(PostgresStore, AnUnreachableServerIsUnavailable) {
  app::FixedClock clock(ContractNow());
  // Port 1 on loopback: nobody listens there, so the connection is refused at once.
  auto store =
      PostgresCaseStore::Open("postgresql://quitt@127.0.0.1:1/postgres?connect_timeout=2", clock);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), StatusCode::kUnavailable) << store.error().ToString();
}

TEST(PostgresStore, ALostConnectionIsUnavailable) {
  app::FixedClock clock(ContractNow());
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  auto admin = Connection::Open(TestCluster()->url());
  ASSERT_TRUE(admin.ok());
  auto pid = store->connection().Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(
      (*admin)
          ->Query("SELECT pg_terminate_backend($1::int, 5000)", Params().Add(pid->Int(0, 0)))
          .ok());
  auto found = store->FindClientByCode("ACME");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code(), StatusCode::kUnavailable) << found.error().ToString();
}

TEST(ArrayLiteral, QuotesEverythingThatNeedsIt) {
  ArrayLiteral array;
  array.Add(std::string_view("a\"b\\c")).Add(std::string_view("")).AddNull().Add(std::int64_t{-7});
  EXPECT_EQ(array.Finish(), R"({"a\"b\\c","",NULL,-7})");
  Sha256Digest digest{};
  digest[0] = 0xab;
  array.AddBytes(digest);
  EXPECT_EQ(array.Finish().substr(0, 9), R"({"\\xab00)");
}

TEST(StatusFromSqlState, MapsTheClassesWeRelyOn) {
  EXPECT_EQ(StatusFromSqlState("23505", "dup").code(), StatusCode::kAborted);
  EXPECT_EQ(StatusFromSqlState("40001", "serialize").code(), StatusCode::kAborted);
  EXPECT_EQ(StatusFromSqlState("08006", "gone").code(), StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlState("57P01", "shutdown").code(), StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlState("23514", "check").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromSqlState("P0001", "raised").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusFromSqlState("42P01", "no table").code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace quitt::adapters::postgres

// --- The daily run on PostgreSQL: the same actions as on SQLite, and safe with several workers.

namespace quitt::adapters::postgres {
namespace {

using app::testing::ContractNow;
using domain::Date;

const Date kHandOver = *Date::Parse("2026-03-02");

app::StrategyBook RunBook() {
  app::StrategyBook book;
  for (const char* id : {"de-b2c", "de-b2b"}) {
    const auto path =
        std::filesystem::path(QUITT_SOURCE_DIR) / "strategies" / (std::string(id) + ".toml");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto strategy = workflow::LoadStrategy(text.str(), path.string());
    EXPECT_TRUE(strategy.ok()) << strategy.error().ToString();
    if (strategy.ok()) {
      EXPECT_TRUE(book.Add(std::move(*strategy)).ok());
    }
  }
  EXPECT_TRUE(book.UseFor(domain::CustomerKind::kConsumer, "de-b2c").ok());
  EXPECT_TRUE(book.UseFor(domain::CustomerKind::kBusiness, "de-b2b").ok());
  return book;
}

// The same demo cases every time (fixed seed and clock).
void ImportDemo(app::CaseStore& store, int cases) {
  app::FixedClock clock(ContractNow());
  ASSERT_TRUE(store.AddClient({{}, "DEMO", "Demo GmbH", "DE"}).ok());
  app::DemoOptions demo;
  demo.cases = cases;
  demo.seed = 7;
  demo.today = kHandOver;
  auto source = app::MakeDemoSource(demo);
  app::ImportOptions options;
  options.client_code = "DEMO";
  options.actor = "import:demo";
  options.business_date = kHandOver;
  auto report = app::ImportClaims(store, clock, *source, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
}

app::RunOptions RunOptionsOf(Date day, const char* worker) {
  app::RunOptions options;
  options.as_of = day;
  options.partitions = 4;
  options.batch_cases = 16;
  options.worker = worker;
  return options;
}

// The hand-over day, then with gaps: catch-up runs take what fell due in between.
std::vector<Date> RunDays() {
  return {kHandOver, kHandOver.AddDays(10), kHandOver.AddDays(16), kHandOver.AddDays(27),
          kHandOver.AddDays(45)};
}

// Everything a run leaves behind, through the port only, so two stores of any kind compare:
// every event after the import (with its hash, so recorded-at and the chain are compared too)
// and every outbox message.
std::vector<std::string> RunOutput(app::CaseStore& store) {
  std::vector<std::string> lines;
  Status visited = store.ForEachCase(std::nullopt, [&](const app::CaseSummary& c) -> Status {
    QUITT_ASSIGN_OR_RETURN(auto history, store.LoadHistory(c.client, c.id));
    for (const auto& e : history) {
      if (e.type == "case_opened" || e.type == "claim_added") continue;
      lines.push_back("event " + std::to_string(c.id.value()) + " " + std::to_string(e.event.seq) +
                      " " + e.type + " " + e.event.effective_date.ToString() + " " + e.event.actor +
                      " " + e.payload_json + " " + ToHex(e.hash));
    }
    return OkStatus();
  });
  EXPECT_TRUE(visited.ok()) << visited.ToString();
  std::string after;
  while (true) {
    auto page = store.ListOutbox(std::nullopt, std::nullopt, after, 500);
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    if (!page.ok() || page->empty()) break;
    for (const auto& m : *page) {
      lines.push_back("outbox " + m.message_key + " " + std::to_string(m.case_id.value()) + " " +
                      m.channel + " " + m.template_name + " " + m.due.ToString() + " " +
                      m.run_date.ToString() + " " + std::to_string(m.event_seq) + " " + m.status);
    }
    after = page->back().message_key;
  }
  return lines;
}

std::string FreshSqlitePath() {
  auto dir = std::filesystem::temp_directory_path() / ("quitt-pg-run-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  static std::atomic<int> counter{0};
  auto path = dir / ("run-" + std::to_string(counter++) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

TEST(PostgresDailyRun, RecordsExactlyWhatSqliteRecordsOverSeveralDays) {
  app::FixedClock clock(ContractNow());
  auto pg = OpenFresh(clock);
  ASSERT_NE(pg, nullptr);
  auto lite = sqlite::SqliteCaseStore::Open(FreshSqlitePath(), clock);
  ASSERT_TRUE(lite.ok()) << lite.error().ToString();
  ImportDemo(*pg, 240);
  ImportDemo(**lite, 240);
  ASSERT_EQ(RunOutput(*pg), RunOutput(**lite));
  app::StrategyBook book = RunBook();
  for (Date day : RunDays()) {
    SCOPED_TRACE(day.ToString());
    auto on_pg = app::RunDay(*pg, clock, book, RunOptionsOf(day, "pg"));
    ASSERT_TRUE(on_pg.ok()) << on_pg.error().ToString();
    auto on_lite = app::RunDay(**lite, clock, book, RunOptionsOf(day, "pg"));
    ASSERT_TRUE(on_lite.ok()) << on_lite.error().ToString();
    EXPECT_EQ(on_pg->rows_built, on_lite->rows_built);
    EXPECT_EQ(on_pg->cases_seen, on_lite->cases_seen);
    EXPECT_EQ(on_pg->events, on_lite->events);
    EXPECT_EQ(on_pg->outbox, on_lite->outbox);
    EXPECT_EQ(on_pg->actions, on_lite->actions);
    const auto expected = RunOutput(**lite);
    EXPECT_GT(expected.size(), 240u);  // every case got at least its first step
    ASSERT_EQ(RunOutput(*pg), expected);
    // The same date again records nothing.
    auto again = app::RunDay(*pg, clock, book, RunOptionsOf(day, "pg"));
    ASSERT_TRUE(again.ok()) << again.error().ToString();
    EXPECT_EQ(again->events, 0);
    EXPECT_EQ(again->outbox, 0);
  }
  auto verify = app::VerifyAll(*pg, std::nullopt);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->broken.empty());
}

TEST(PostgresDailyRun, ThreeWorkersShareOneRunWithoutDoingAnythingTwice) {
  app::FixedClock clock(ContractNow());
  auto clean = OpenFresh(clock);
  std::string shared_info;
  auto shared = OpenFresh(clock, &shared_info);
  ASSERT_NE(clean, nullptr);
  ASSERT_NE(shared, nullptr);
  ImportDemo(*clean, 240);
  ImportDemo(*shared, 240);
  app::StrategyBook book = RunBook();
  for (Date day : RunDays()) {
    SCOPED_TRACE(day.ToString());
    ASSERT_TRUE(app::RunDay(*clean, clock, book, RunOptionsOf(day, "clean")).ok());
    std::vector<std::thread> workers;
    std::vector<Status> results(3);
    std::vector<int> claimed(3, 0);
    for (int w = 0; w < 3; ++w) {
      workers.emplace_back([&, w] {
        app::FixedClock own_clock(ContractNow());
        auto store = PostgresCaseStore::Open(shared_info, own_clock);
        if (!store.ok()) {
          results[w] = store.error();
          return;
        }
        app::StrategyBook own_book = RunBook();
        app::RunOptions options = RunOptionsOf(day, ("w" + std::to_string(w)).c_str());
        options.partitions = 8;
        options.batch_cases = 8;
        auto summary = app::RunDay(**store, own_clock, own_book, options);
        results[w] = summary.ok() ? OkStatus() : summary.error();
        if (summary.ok()) claimed[w] = summary->partitions_claimed;
      });
    }
    for (auto& t : workers) t.join();
    for (const Status& s : results) ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(claimed[0] + claimed[1] + claimed[2], 8);
    auto partitions = *shared->ListRunPartitions(day);
    ASSERT_EQ(partitions.size(), 8u);
    for (const auto& p : partitions) EXPECT_EQ(p.status, "done");
    ASSERT_EQ(RunOutput(*shared), RunOutput(*clean));
  }
}

// Writes one open collection row so PlanRun has a client to plan.
void EnrolOneCase(app::CaseStore& store, app::Clock& clock) {
  ASSERT_TRUE(ImportRows(store, clock, {ContractRow(2, "R1", "K1", 100)}).ok());
  app::CaseFilter all;
  auto cases = *store.ListCases(all);
  ASSERT_EQ(cases.size(), 1u);
  auto transaction = store.Begin();
  ASSERT_TRUE(transaction.ok());
  app::WriteBatch batch;
  batch.collection_rows.push_back(ContractRow(cases[0], 0));
  ASSERT_TRUE(store.Write(batch).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
}

TEST(PostgresStore, ConcurrentPlannersAndClaimersHandOutEveryPartitionOnce) {
  app::FixedClock clock(ContractNow());
  std::string conninfo;
  auto store = OpenFresh(clock, &conninfo);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  EnrolOneCase(*store, clock);
  const Date day = *Date::Parse("2026-11-23");
  const auto now = ContractNow();
  constexpr int kWorkers = 4;
  std::vector<int> planned(kWorkers, 0);
  std::vector<std::vector<int>> claimed(kWorkers);
  std::vector<Status> failures(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      app::FixedClock own_clock(now);
      auto own = PostgresCaseStore::Open(conninfo, own_clock);
      if (!own.ok()) {
        failures[w] = own.error();
        return;
      }
      // Each planner asks for another count; the first plan wins and all see it.
      auto plan = (*own)->PlanRun(day, 60 + w);
      if (!plan.ok()) {
        failures[w] = plan.error();
        return;
      }
      planned[w] = *plan;
      while (true) {
        auto p =
            (*own)->ClaimRunPartition(day, "w" + std::to_string(w), now, now.AddSeconds(60), false);
        if (!p.ok()) {
          failures[w] = p.error();
          return;
        }
        if (!p->has_value()) return;
        claimed[w].push_back((*p)->partition);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : failures) ASSERT_TRUE(s.ok()) << s.ToString();
  const int count = planned[0];
  EXPECT_GE(count, 60);
  EXPECT_LT(count, 60 + kWorkers);
  for (int w = 0; w < kWorkers; ++w) EXPECT_EQ(planned[w], count);
  std::multiset<int> all;
  for (const auto& list : claimed) all.insert(list.begin(), list.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(count));
  for (int p = 0; p < count; ++p) EXPECT_EQ(all.count(p), 1u) << "partition " << p;
  auto partitions = *store->ListRunPartitions(day);
  ASSERT_EQ(partitions.size(), static_cast<std::size_t>(count));
  for (const auto& p : partitions) {
    EXPECT_EQ(p.status, "running");
    EXPECT_EQ(p.lease_until, now.AddSeconds(60));
  }
}

TEST(PostgresStore, BatchesWithRepeatedKeysBehaveLikeRowByRowWrites) {
  app::FixedClock clock(ContractNow());
  auto store = OpenFresh(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  ASSERT_TRUE(ImportRows(*store, clock, {ContractRow(2, "R1", "K1", 100)}).ok());
  auto c = (*store->ListCases(app::CaseFilter{}))[0];
  {
    auto transaction = store->Begin();
    app::WriteBatch batch;
    batch.collection_rows.push_back(ContractRow(c, 10));
    batch.collection_rows.push_back(ContractRow(c, 20));  // the later row of a key wins
    batch.next_checks.push_back({c.client, c.id, Date::FromDaysSinceEpoch(30)});
    batch.next_checks.push_back({c.client, c.id, Date::FromDaysSinceEpoch(40)});
    app::OutboxMessage m;
    m.client = c.client;
    m.case_id = c.id;
    m.case_number = c.case_number;
    m.message_key = "k\t\"1\"";
    m.channel = "letter";
    m.template_name = "first";
    m.due = m.run_date = *Date::Parse("2026-11-23");
    m.created_at = ContractNow();
    batch.outbox.push_back(m);
    m.template_name = "second";  // the first message of a key stays
    batch.outbox.push_back(m);
    m.message_key = "K-upper";  // byte order: upper case before lower case and tabs after
    batch.outbox.push_back(m);
    app::CaseHead head{c.client, c.id, c.last_seq, c.last_hash, ContractNow().AddSeconds(5), false};
    batch.case_heads.push_back(head);
    head.closed = true;
    batch.case_heads.push_back(head);
    ASSERT_TRUE(store->Write(batch).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  auto row = *store->FindCollectionRow(c.client, c.id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->next_check_on.days_since_epoch(), 40);
  auto outbox = *store->ListOutbox(c.client, std::nullopt, "", 10);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].message_key, "K-upper");
  EXPECT_EQ(outbox[1].message_key, "k\t\"1\"");
  EXPECT_EQ(outbox[1].template_name, "first");
  auto summary = *store->FindCase(c.client, c.id);
  EXPECT_EQ(summary->status, domain::CaseStatus::kClosed);
  EXPECT_EQ(summary->updated_at, ContractNow().AddSeconds(5));
  // A head of a case that does not exist fails the batch (another writer removed nothing, so
  // this is a bug in the caller), like SQLite.
  auto transaction = store->Begin();
  app::WriteBatch bad;
  bad.case_heads.push_back(
      {c.client, app::CaseId(c.id.value() + 100), 1, c.last_hash, ContractNow(), false});
  Status status = store->Write(bad);
  EXPECT_EQ(status.code(), StatusCode::kAborted) << status.ToString();
  EXPECT_NE(status.message().find(std::to_string(c.id.value() + 100)), std::string::npos);
}

TEST(PostgresStore, TwoConnectionsRemitASplitOnlyOnce) {
  app::FixedClock clock(ContractNow());
  std::string conninfo;
  auto first = OpenFresh(clock, &conninfo);
  ASSERT_NE(first, nullptr);
  auto client = first->AddClient({{}, "ACME", "Acme", "DE"});
  ASSERT_TRUE(client.ok());
  auto second = PostgresCaseStore::Open(conninfo, clock);
  ASSERT_TRUE(second.ok());
  auto eur = [](std::int64_t cents) {
    return domain::Money::FromMinorUnits(cents, domain::Currency::Eur());
  };
  app::PaymentSplit split;
  split.client = client->id;
  split.case_id = app::CaseId(1);
  split.payment_ref = "ref-1";
  split.date = *Date::Parse("2026-05-04");
  split.amount = split.principal = eur(4000);
  split.to_client = eur(3600);
  split.commission = eur(400);
  {
    auto transaction = first->Begin();
    ASSERT_TRUE(first->AddPaymentSplit(split).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  app::Remittance r;
  r.client = client->id;
  r.as_of = split.date;
  r.total = eur(3600);
  r.items = 1;
  r.message_id = "M1";
  auto a = first->Begin();
  ASSERT_TRUE(first->AddRemittance(r, {split.split_id}).ok());
  // The second waits for the first's lock on the split, then finds it remitted.
  Status other;
  std::thread blocked([&] {
    auto b = (*second)->Begin();
    app::Remittance again = r;
    again.message_id = "M2";
    other = (*second)->AddRemittance(again, {split.split_id});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE((*a)->Commit().ok());
  blocked.join();
  EXPECT_EQ(other.code(), StatusCode::kAborted) << other.ToString();
  auto remittances = *first->ListRemittances(client->id);
  ASSERT_EQ(remittances.size(), 1u);
  EXPECT_EQ(remittances[0].message_id, "M1");
}

}  // namespace
}  // namespace quitt::adapters::postgres
