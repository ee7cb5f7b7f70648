#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements that reset
// themselves. Every failure becomes a Status naming the statement; nothing here throws.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"

namespace quitt::adapters::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based position.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  // Binds text without copying it: `text` must stay alive and unchanged until the statement has
  // been stepped and reset (Run() does both). For the hot write path.
  Statement& BindRef(int index, std::string_view text);
  Statement& BindBlob(int index, const void* data, int size);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::string>& text);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to the end (for writes) and resets.
  Status Run();
  void Reset();

  std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string_view Blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

// Resets a cached statement when the scope ends, however it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement* statement) : statement_(statement) {}
  ~ResetOnExit() { statement_->Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement* statement_;
};

class Database {
 public:
  // Opens (creating when missing) the file and sets WAL, foreign keys, a busy timeout.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();

  Status Exec(const std::string& sql);
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql);
  // A statement prepared once and kept for the life of the connection (hot paths).
  // The statement stays prepared for the connection's life; the caller resets it after use
  // (ResetOnExit does that). Keyed by the SQL text.
  Result<Statement*> Cached(const std::string& sql);
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

Status SqliteError(sqlite3* db, int code, std::string_view what);

}  // namespace quitt::adapters::sqlite
