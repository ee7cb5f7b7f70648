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

TEST(SqliteStore, ADatabaseOfANewerQuittIsRefused) {
  app::FixedClock clock(app::testing::ContractNow());
  const std::string path = FreshDatabasePath();
  {
    auto store = SqliteCaseStore::Open(path, clock);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->database()
                    .Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, "
                          "'0999_future.sql', '2030-01-01T00:00:00Z')")
                    .ok());
  }
  auto reopened = SqliteCaseStore::Open(path, clock);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.error().message().find("schema version 999"), std::string::npos)
      << reopened.error().message();
}

TEST(SqliteStore, UpgradeToAppendOrderedHistoryKeepsEveryEventAndChain) {
  app::FixedClock clock(app::testing::ContractNow());
  const std::string path = FreshDatabasePath();
  {
    // A database with history, put back into the layout before migration 0008 (clustered by
    // case, rows in reverse order) and with 0008 unrecorded, so the next open upgrades it.
    auto store = SqliteCaseStore::Open(path, clock);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AddClient({{}, "ACME", "Acme", "DE"}).ok());
    app::testing::VectorSource source({app::testing::ContractRow(2, "R1", "K1", 10000),
                                       app::testing::ContractRow(3, "R2", "K2", 20000),
                                       app::testing::ContractRow(4, "R3", "K1", 30000)});
    app::ImportOptions options;
    options.client_code = "ACME";
    options.business_date = *domain::Date::Parse("2026-11-23");
    ASSERT_TRUE(app::ImportClaims(**store, clock, source, options).ok());
    Database& db = (*store)->database();
    for (const char* sql :
         {"DROP TRIGGER case_events_are_never_updated",
          "DROP TRIGGER case_events_are_never_deleted",
          "DROP TRIGGER IF EXISTS case_events_to_webhook_outbox",  // gone since 0009
          "CREATE TABLE old_events (client_id INTEGER NOT NULL, case_id INTEGER NOT NULL, seq "
          "INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, effective_date "
          "TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, payload TEXT NOT NULL, "
          "previous_hash BLOB NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (client_id, case_id, "
          "seq)) WITHOUT ROWID",
          "INSERT INTO old_events SELECT client_id, case_id, seq, type, schema_version, "
          "effective_date, recorded_at, actor, payload, previous_hash, hash FROM case_events "
          "ORDER BY case_id DESC, seq DESC",
          "DROP TABLE case_events", "ALTER TABLE old_events RENAME TO case_events",
          "CREATE TRIGGER case_events_are_never_updated BEFORE UPDATE ON case_events BEGIN "
          "SELECT RAISE(ABORT, 'the case history is append-only'); END",
          "CREATE TRIGGER case_events_are_never_deleted BEFORE DELETE ON case_events BEGIN "
          "SELECT RAISE(ABORT, 'the case history is append-only'); END",
          "CREATE TRIGGER case_events_to_webhook_outbox AFTER INSERT ON case_events BEGIN "
          "INSERT INTO webhook_outbox(client_id, endpoint_id, case_id, seq, next_attempt_at) "
          "SELECT NEW.client_id, endpoint_id, NEW.case_id, NEW.seq, NEW.recorded_at FROM "
          "webhook_endpoints WHERE client_id = NEW.client_id AND active = 1; END",
          "DELETE FROM schema_migrations WHERE version >= 8"}) {
      ASSERT_TRUE(db.Exec(sql).ok()) << sql;
    }
  }
  auto store = SqliteCaseStore::Open(path, clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto report = app::VerifyAll(**store, std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cases, 2);
  EXPECT_EQ(report->events, 5);  // two cases opened, three claims added
  EXPECT_TRUE(report->broken.empty());
  Database& db = (*store)->database();
  auto index = db.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'case_events_by_case'");
  ASSERT_TRUE(*(*index)->Step());
  EXPECT_EQ((*index)->Int(0), 1);
  EXPECT_FALSE(db.Exec("DELETE FROM case_events").ok());  // still append-only
  // A second writer of the same seq still collides.
  EXPECT_FALSE(db.Exec("INSERT INTO case_events(client_id, case_id, seq, type, schema_version, "
                       "effective_date, recorded_at, actor, payload, previous_hash, hash) SELECT "
                       "client_id, case_id, seq, type, schema_version, effective_date, "
                       "recorded_at, actor, payload, previous_hash, hash FROM case_events LIMIT 1")
                   .ok());
}

}  // namespace
}  // namespace quitt::adapters::sqlite

namespace quitt::adapters::sqlite {
namespace {

// Bulk writes go 64 rows to a statement; a clash inside such a statement must still name the
// row, and the rows around it must neither be lost nor written twice.
TEST(SqliteStore, AClashInABulkWriteNamesTheRowAndTheTransactionCanGoOn) {
  app::FixedClock clock(app::testing::ContractNow());
  auto opened = SqliteCaseStore::Open(FreshDatabasePath(), clock);
  ASSERT_TRUE(opened.ok());
  auto& store = **opened;
  ASSERT_TRUE(store.AddClient({{}, "ACME", "Acme", "DE"}).ok());
  app::testing::VectorSource source({app::testing::ContractRow(2, "R1", "K1", 100)});
  app::ImportOptions options;
  options.client_code = "ACME";
  options.business_date = *domain::Date::Parse("2026-11-23");
  ASSERT_TRUE(app::ImportClaims(store, clock, source, options).ok());
  auto cases = store.ListCases({});
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  const app::CaseSummary summary = (*cases)[0];
  ASSERT_EQ(summary.last_seq, 2);

  auto note = [&](std::int64_t seq) {
    domain::CaseEvent event{summary.client,
                            summary.id,
                            seq,
                            *domain::Date::Parse("2026-11-24"),
                            app::testing::ContractNow(),
                            "user:anna",
                            domain::NoteAdded{"note " + std::to_string(seq)}};
    return domain::Seal(event, summary.last_hash);
  };
  app::WriteBatch clashing;
  // Two statements of 64 rows (events 3-66 and 67-130); the clash is in the second.
  for (std::int64_t seq = 3; seq <= 130; ++seq) {
    clashing.events.push_back(note(seq == 80 ? 2 : seq));
  }
  auto transaction = store.Begin();
  ASSERT_TRUE(transaction.ok());
  Status status = store.Write(clashing);
  EXPECT_EQ(status.code(), StatusCode::kAborted) << status.ToString();
  EXPECT_NE(status.message().find("event 2 of case " + std::to_string(summary.id.value())),
            std::string::npos)
      << status.ToString();

  // The same transaction goes on: the rows before the clash are there once, nothing after it
  // (these 21 rows are fewer than a statement's 64: written one at a time).
  app::WriteBatch more;
  for (std::int64_t seq = 80; seq <= 100; ++seq) more.events.push_back(note(seq));
  ASSERT_TRUE(store.Write(more).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  auto history = store.LoadHistory(summary.client, summary.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 100u);
  for (std::size_t i = 0; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].event.seq, static_cast<std::int64_t>(i) + 1);
  }
}

}  // namespace
}  // namespace quitt::adapters::sqlite
