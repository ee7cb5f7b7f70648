#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements that reset
// themselves. Every failure becomes a Status naming the statement; nothing here throws.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
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

// Copies the WAL back into the database file on a thread of its own, with a connection of its
// own, so the connection that commits does not do it inside its commit (SQLite's automatic
// checkpoint, 10-15 % of a bulk writer's time). One per database file and process, shared by its
// connections (`quitt serve` has one per thread) and started on first need; a PASSIVE checkpoint
// never blocks readers or the writer.
class BackgroundCheckpointer {
 public:
  // The process's checkpointer of `path`, made when none is alive.
  static std::shared_ptr<BackgroundCheckpointer> For(const std::string& path);

  explicit BackgroundCheckpointer(std::string path) : path_(std::move(path)) {}
  ~BackgroundCheckpointer();
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  // Asks for a checkpoint soon; returns at once. Throws only what starting a thread throws.
  void Request();
  // Checkpoints that completed (SQLITE_OK) on the background thread.
  std::int64_t checkpoints_done() const { return done_.load(); }

 private:
  void Loop();

  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::atomic<std::int64_t> done_{0};
  std::thread worker_;
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
  // Asks the kernel to start writing what the WAL holds to the disk, without waiting (Linux
  // sync_file_range): called while a large transaction is written, so its commit's fsync finds
  // little left to write. Best effort: nothing happens without a WAL file.
  void StartWalWriteback();
  // How many checkpoints ran on the background thread (for tests and benchmarks).
  std::int64_t background_checkpoints() const {
    return checkpointer_ ? checkpointer_->checkpoints_done() : 0;
  }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int frames);

  sqlite3* db_;
  std::string path_;
  std::int64_t page_size_ = 4096;  // the WAL hook counts pages; the checkpoint thresholds are bytes
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  std::shared_ptr<BackgroundCheckpointer> checkpointer_;
  int wal_fd_ = -1;  // the WAL file, opened for StartWalWriteback
};

Status SqliteError(sqlite3* db, int code, std::string_view what);

}  // namespace quitt::adapters::sqlite
