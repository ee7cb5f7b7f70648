#include "adapters/storage/sqlite/sqlite_case_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "adapters/storage/sqlite/migrations.h"
#include "app/testing/case_store_contract.h"

namespace quitt::adapters::sqlite {
namespace {

std::string FreshDatabasePath() {
  static std::atomic<int> counter{0};
  auto dir =
      std::filesystem::temp_directory_path() / ("quitt-sqlite-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / ("store-" + std::to_string(counter++) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

struct SqliteFactory {
  static std::unique_ptr<app::CaseStore> Make(app::Clock& clock) {
    auto store = SqliteCaseStore::Open(FreshDatabasePath(), clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
};

}  // namespace
}  // namespace quitt::adapters::sqlite

namespace quitt::app::testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, CaseStoreContract,
                               ::testing::Types<quitt::adapters::sqlite::SqliteFactory>);
}  // namespace quitt::app::testing

namespace quitt::adapters::sqlite {
namespace {

TEST(SqliteStore, MigrationsRunOnceAndAreRecorded) {
  app::FixedClock clock(app::testing::ContractNow());
  std::string path = FreshDatabasePath();
  {
    auto store = SqliteCaseStore::Open(path, clock);
    ASSERT_TRUE(store.ok());
    EXPECT_TRUE((*store)->Migrate()->empty());  // already applied by Open
  }
  auto store = SqliteCaseStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  auto q = (*store)->database().Prepare("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(*(*q)->Step());
  EXPECT_EQ((*q)->Int(0), static_cast<std::int64_t>(EmbeddedMigrations().size()));
}

TEST(SqliteStore, HistoryRowsCannotBeUpdatedOrDeletedThroughSql) {
  app::FixedClock clock(app::testing::ContractNow());
  auto store = SqliteCaseStore::Open(FreshDatabasePath(), clock);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  app::testing::VectorSource source({app::testing::ContractRow(2, "R1", "K1", 100)});
  app::ImportOptions options;
  options.client_code = "ACME";
  options.business_date = *domain::Date::Parse("2026-11-23");
  ASSERT_TRUE(app::ImportClaims(**store, clock, source, options).ok());
  Status update = (*store)->database().Exec("UPDATE case_events SET actor = 'x'");
  EXPECT_FALSE(update.ok());
  EXPECT_NE(update.message().find("append-only"), std::string::npos);
  EXPECT_FALSE((*store)->database().Exec("DELETE FROM case_events").ok());
}

TEST(SqliteStore, VerifyFindsAnEditMadeBehindQuittsBack) {
  app::FixedClock clock(app::testing::ContractNow());
  auto store = SqliteCaseStore::Open(FreshDatabasePath(), clock);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  app::testing::VectorSource source({app::testing::ContractRow(2, "R1", "K1", 10000),
                                     app::testing::ContractRow(3, "R2", "K1", 20000)});
  app::ImportOptions options;
  options.client_code = "ACME";
  options.business_date = *domain::Date::Parse("2026-11-23");
  ASSERT_TRUE(app::ImportClaims(**store, clock, source, options).ok());
  // Someone with file access drops the guard and lowers a claim in the stored history.
  auto& db = (*store)->database();
  ASSERT_TRUE(db.Exec("DROP TRIGGER case_events_are_never_updated").ok());
  ASSERT_TRUE(
      db.Exec("UPDATE case_events SET payload = replace(payload, '200.00', '2.00') WHERE seq = 3")
          .ok());
  auto report = app::VerifyAll(**store, std::nullopt);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->broken.size(), 1u);
  EXPECT_NE(report->broken[0].status.message().find("event 3"), std::string::npos)
      << report->broken[0].status.message();
}

}  // namespace
}  // namespace quitt::adapters::sqlite
