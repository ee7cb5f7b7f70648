#include "adapters/storage/postgres/postgres_case_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "adapters/storage/postgres/pg_test_cluster.h"
#include "app/testing/case_store_contract.h"

namespace quitt::adapters::postgres {
namespace {

// One throw-away cluster per test program: started before the first test, stopped after the last
// one (also when tests fail; the script's watchdog covers crashes). Every store gets its own
// schema.
ThrowAwayCluster* g_cluster = nullptr;

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto cluster = ThrowAwayCluster::Start(QUITT_PG_CLUSTER_SCRIPT, /*fast=*/true);
    if (!cluster.ok() && cluster.error().code() == StatusCode::kNotFound) {
      GTEST_SKIP() << "PostgreSQL store tests skipped, " << cluster.error().message()
                   << "(install the Debian package postgresql-15 to run them)";
    }
    ASSERT_TRUE(cluster.ok()) << cluster.error().ToString();
    cluster_ = std::move(*cluster);
    g_cluster = cluster_.get();
  }
  void TearDown() override {
    g_cluster = nullptr;
    cluster_.reset();
  }

 private:
  std::unique_ptr<ThrowAwayCluster> cluster_;
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

// A fresh, empty schema on the test cluster; returns the conninfo that uses it.
std::string FreshSchema() {
  static std::atomic<int> counter{0};
  std::string schema = "store_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  auto admin = Connection::Open(g_cluster->url());
  EXPECT_TRUE(admin.ok()) << admin.error().ToString();
  if (!admin.ok()) return "";
  Status created = (*admin)->Exec("CREATE SCHEMA " + schema);
  EXPECT_TRUE(created.ok()) << created.ToString();
  return g_cluster->ConnInfoForSchema(schema);
}

struct PostgresFactory {
  static std::unique_ptr<app::CaseStore> Make(app::Clock& clock) {
    if (g_cluster == nullptr) return nullptr;
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
  auto admin = Connection::Open(g_cluster->url());
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
