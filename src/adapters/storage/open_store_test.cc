#include "adapters/storage/open_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/storage/sqlite/sqlite_case_store.h"

namespace quitt::adapters {
namespace {

TEST(OpenStore, UrlsSelectPostgresEverythingElseSqlite) {
  EXPECT_EQ(StoreKindOf("postgresql://quitt@127.0.0.1:5432/quitt"), StoreKind::kPostgres);
  EXPECT_EQ(StoreKindOf("postgres://db.example/quitt?sslmode=require"), StoreKind::kPostgres);
  EXPECT_EQ(StoreKindOf("quitt.db"), StoreKind::kSqlite);
  EXPECT_EQ(StoreKindOf("/var/lib/quitt/postgresql.db"), StoreKind::kSqlite);
  EXPECT_EQ(StoreKindOf("POSTGRESQL://x"), StoreKind::kSqlite);  // libpq wants lower case too
}

TEST(OpenStore, AFilePathOpensAMigratedSqliteStore) {
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00Z"));
  auto dir = std::filesystem::temp_directory_path() /
             ("quitt-open-store-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "store.db").string();
  std::filesystem::remove(path);
  auto store = OpenStore(path, clock);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_NE(dynamic_cast<sqlite::SqliteCaseStore*>(store->get()), nullptr);
  ASSERT_TRUE((*store)->AddClient({{}, "ACME", "Acme", "DE"}).ok());
  EXPECT_TRUE((*store)->FindClientByCode("ACME")->has_value());
  store->reset();
  std::filesystem::remove_all(dir);
}

TEST(OpenStore, AnUnreachablePostgresIsUnavailable) {
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00Z"));
  // Nobody listens on port 1 of loopback: refused at once, no server needed for this test.
  auto store = OpenStore("postgresql://quitt@127.0.0.1:1/quitt?connect_timeout=2", clock);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), StatusCode::kUnavailable) << store.error().ToString();
  EXPECT_EQ(OpenStore("", clock).error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace quitt::adapters
