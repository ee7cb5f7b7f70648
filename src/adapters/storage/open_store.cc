#include "adapters/storage/open_store.h"

#include "adapters/storage/postgres/postgres_auth_store.h"
#include "adapters/storage/postgres/postgres_case_store.h"
#include "adapters/storage/sqlite/sqlite_auth_store.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"

namespace quitt::adapters {

StoreKind StoreKindOf(std::string_view location) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (location.substr(0, scheme.size()) == scheme) return StoreKind::kPostgres;
  }
  return StoreKind::kSqlite;
}

Result<std::unique_ptr<app::CaseStore>> OpenStore(const std::string& location, app::Clock& clock) {
  if (location.empty()) return InvalidArgument("database location is empty");
  if (StoreKindOf(location) == StoreKind::kPostgres) {
    QUITT_ASSIGN_OR_RETURN(auto store, postgres::PostgresCaseStore::Open(location, clock));
    return std::unique_ptr<app::CaseStore>(std::move(store));
  }
  QUITT_ASSIGN_OR_RETURN(auto store, sqlite::SqliteCaseStore::Open(location, clock));
  return std::unique_ptr<app::CaseStore>(std::move(store));
}

Result<std::unique_ptr<app::auth::AuthStore>> AuthStoreOn(app::CaseStore& cases) {
  if (auto* pg = dynamic_cast<postgres::PostgresCaseStore*>(&cases); pg != nullptr) {
    return std::unique_ptr<app::auth::AuthStore>(
        std::make_unique<postgres::PostgresAuthStore>(pg->connection()));
  }
  if (auto* lite = dynamic_cast<sqlite::SqliteCaseStore*>(&cases); lite != nullptr) {
    return std::unique_ptr<app::auth::AuthStore>(
        std::make_unique<sqlite::SqliteAuthStore>(lite->database()));
  }
  return FailedPrecondition("this store has no users, keys or webhooks");
}

Result<OpenedStores> OpenStores(const std::string& location, app::Clock& clock) {
  OpenedStores stores;
  QUITT_ASSIGN_OR_RETURN(stores.cases, OpenStore(location, clock));
  QUITT_ASSIGN_OR_RETURN(stores.auth, AuthStoreOn(*stores.cases));
  return stores;
}

}  // namespace quitt::adapters
