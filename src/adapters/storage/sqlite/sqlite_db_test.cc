#include "adapters/storage/sqlite/sqlite_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace quitt::adapters::sqlite {
namespace {

std::filesystem::path TestFolder() {
  return std::filesystem::temp_directory_path() /
         ("quitt-sqlite-db-test-" + std::to_string(getpid()));
}

// Removes the test's databases (up to 150 MB of WAL) when the program ends.
struct RemoveTestFolder {
  ~RemoveTestFolder() {
    std::error_code ec;
    std::filesystem::remove_all(TestFolder(), ec);
  }
} remove_test_folder;

std::string FreshPath(const std::string& name) {
  const auto dir = TestFolder();
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

std::uintmax_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Writes `transactions` commits of about 1.2 MB each into one table.
void WriteBulk(Database& db, int transactions) {
  ASSERT_TRUE(db.Exec("CREATE TABLE IF NOT EXISTS bulk (id INTEGER PRIMARY KEY, body TEXT)").ok());
  auto insert = db.Prepare("INSERT INTO bulk (body) VALUES (?)");
  ASSERT_TRUE(insert.ok());
  const std::string body(1000, 'x');
  for (int t = 0; t < transactions; ++t) {
    ASSERT_TRUE(db.Exec("BEGIN IMMEDIATE").ok());
    for (int row = 0; row < 1200; ++row) {
      (*insert)->Bind(1, body);
      ASSERT_TRUE((*insert)->Run().ok());
    }
    ASSERT_TRUE(db.Exec("COMMIT").ok());
  }
}

// The rows of `bulk` as a connection opened now sees them; -1 when it cannot read them.
std::int64_t RowsOnNewConnection(const std::string& path) {
  auto db = Database::Open(path);
  if (!db.ok()) return -1;
  auto count = (*db)->Prepare("SELECT count(*) FROM bulk");
  if (!count.ok()) return -1;
  auto row = (*count)->Step();
  return row.ok() && *row ? (*count)->Int(0) : -1;
}

TEST(SqliteCheckpoint, ABulkWriterIsCheckpointedOnTheBackgroundThread) {
  const std::string path = FreshPath("bulk.db");
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  WriteBulk(**db, 120);  // about 150 MB through the WAL
  // The background thread ran (the committing connection did not have to), and the WAL stayed
  // well below what was written (64 MB + one transaction): it is copied back and reused.
  EXPECT_GT((*db)->background_checkpoints(), 0);
  EXPECT_LT(FileSize(path + "-wal"), 80u * 1000 * 1000) << "WAL of " << FileSize(path + "-wal");
  // Everything committed is readable from another connection.
  EXPECT_EQ(RowsOnNewConnection(path), 120 * 1200);
}

std::int64_t PageSize(Database& db) {
  auto query = db.Prepare("PRAGMA page_size");
  if (!query.ok() || !*(*query)->Step()) return -1;
  return (*query)->Int(0);
}

TEST(SqliteDatabase, ANewDatabaseHas16KbPagesAnOlderOneKeepsItsOwn) {
  const std::string fresh = FreshPath("fresh.db");
  auto db = Database::Open(fresh);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x)").ok());
  EXPECT_EQ(PageSize(**db), 16384);

  // A database made with 4 KB pages (before quitt chose 16 KB) stays as it is, and the
  // checkpoint thresholds, counted in bytes, still bound its WAL.
  const std::string older = FreshPath("older.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(older.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; "
                           "CREATE TABLE keep (x); INSERT INTO keep VALUES (1);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto reopened = Database::Open(older);
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  EXPECT_EQ(PageSize(**reopened), 4096);
  WriteBulk(**reopened, 120);
  EXPECT_GT((*reopened)->background_checkpoints(), 0);
  EXPECT_LT(FileSize(older + "-wal"), 80u * 1000 * 1000) << "WAL of " << FileSize(older + "-wal");
  EXPECT_EQ(RowsOnNewConnection(older), 120 * 1200);
}

TEST(SqliteCheckpoint, ClosingAfterABulkWriteLeavesTheDataInTheDatabaseFile) {
  const std::string path = FreshPath("closed.db");
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    WriteBulk(**db, 5);
  }  // joins the checkpoint thread, then the last connection checkpoints and removes the WAL
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(RowsOnNewConnection(path), 5 * 1200);
}

TEST(SqliteCheckpoint, TheConnectionsOfOneFileShareOneCheckpointer) {
  const std::string path = FreshPath("shared.db");
  auto first = BackgroundCheckpointer::For(path);
  EXPECT_EQ(BackgroundCheckpointer::For(path), first);
  EXPECT_NE(BackgroundCheckpointer::For(FreshPath("other.db")), first);
  // The registry holds no checkpointer alive: with its last user gone, it is destroyed.
  std::weak_ptr<BackgroundCheckpointer> watched = first;
  first.reset();
  EXPECT_TRUE(watched.expired());
}

TEST(SqliteCheckpoint, SmallCommitsStartNoThread) {
  const std::string path = FreshPath("small.db");
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)").ok());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_EQ((*db)->background_checkpoints(), 0);
}

}  // namespace
}  // namespace quitt::adapters::sqlite
