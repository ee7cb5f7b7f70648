#pragma once
// The numbered schema migrations of the SQLite store, applied in order by Migrate() and
// recorded in schema_migrations, so a database is brought up to date by `quitt migrate` (or on
// open) and never changed twice.
#include <string>
#include <vector>

namespace quitt::adapters::sqlite {

struct Migration {
  const char* name;  // "0001_initial.sql": the number orders them
  const char* sql;
};

const std::vector<Migration>& EmbeddedMigrations();

}  // namespace quitt::adapters::sqlite
