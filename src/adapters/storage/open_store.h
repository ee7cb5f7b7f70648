#pragma once
// OpenStore: the one place that turns a database location into a CaseStore, so the CLI and the
// server accept the same `--db` values:
//   postgresql://user@host:port/db?...  or  postgres://...   → PostgreSQL (libpq URL)
//   anything else                                           → a SQLite file path (created)
// Both open and migrate the database; an unreachable PostgreSQL server is kUnavailable.
#include <memory>
#include <string>
#include <string_view>

#include "app/auth/auth_store.h"
#include "app/ports.h"
#include "common/status.h"

namespace quitt::adapters {

enum class StoreKind { kSqlite, kPostgres };

// Which store a location selects (no I/O).
StoreKind StoreKindOf(std::string_view location);

Result<std::unique_ptr<app::CaseStore>> OpenStore(const std::string& location, app::Clock& clock);

// The AuthStore (users, keys, sessions, audit, idempotency, webhooks) on the connection of a
// store OpenStore returned: it borrows that connection, so `cases` must outlive it and both are
// used from one thread at a time. FailedPrecondition for any other CaseStore implementation.
Result<std::unique_ptr<app::auth::AuthStore>> AuthStoreOn(app::CaseStore& cases);

// Both stores of one connection, as the HTTP server leases them. `auth` is declared second, so it
// is destroyed first.
struct OpenedStores {
  std::unique_ptr<app::CaseStore> cases;
  std::unique_ptr<app::auth::AuthStore> auth;
};
Result<OpenedStores> OpenStores(const std::string& location, app::Clock& clock);

}  // namespace quitt::adapters
