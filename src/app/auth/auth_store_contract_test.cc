// The AuthStore contract (testing/auth_store_contract.h) on SQLite. PostgreSQL runs the same suite
// in adapters/storage/postgres/postgres_auth_store_test.cc.
#include "app/auth/testing/auth_store_contract.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "adapters/storage/sqlite/sqlite_auth_store.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"

namespace quitt::app::auth::testing {
namespace {

std::filesystem::path ContractDir() {
  return std::filesystem::temp_directory_path() /
         ("quitt_auth_contract_" + std::to_string(getpid()));
}

// Removes the databases of this program's run at the end.
class CleanUp : public ::testing::Environment {
 public:
  void TearDown() override { std::filesystem::remove_all(ContractDir()); }
};
[[maybe_unused]] ::testing::Environment* const kCleanUp =
    ::testing::AddGlobalTestEnvironment(new CleanUp);

struct SqliteAuthFactory {
  static AuthStores Make(Clock& clock) {
    static std::atomic<int> counter{0};
    const auto dir = ContractDir();
    std::filesystem::create_directories(dir);
    const auto path = dir / (std::to_string(counter++) + ".db");
    std::filesystem::remove(path);
    AuthStores stores;
    auto store = adapters::sqlite::SqliteCaseStore::Open(path.string(), clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return stores;
    stores.auth = std::make_unique<adapters::sqlite::SqliteAuthStore>((*store)->database());
    stores.cases = std::move(*store);
    return stores;
  }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, AuthStoreContract, ::testing::Types<SqliteAuthFactory>);

}  // namespace quitt::app::auth::testing
