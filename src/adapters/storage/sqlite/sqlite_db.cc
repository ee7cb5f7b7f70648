#include "adapters/storage/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <unordered_map>

namespace quitt::adapters::sqlite {

Status SqliteError(sqlite3* db, int code, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  const int primary = code & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("database is busy (another quitt process is writing): " + message);
  }
  if (primary == SQLITE_CONSTRAINT) return Aborted(message);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return DataLoss(message);
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_FULL || primary == SQLITE_IOERR ||
      primary == SQLITE_READONLY) {
    return Unavailable(message);
  }
  return Internal(message);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = SqliteError(db_, rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = SqliteError(db_, rc, "bind");
  return *this;
}

Statement& Statement::BindRef(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = SqliteError(db_, rc, "bind");
  return *this;
}

Statement& Statement::BindBlob(int index, const void* data, int size) {
  int rc = sqlite3_bind_blob(stmt_, index, data, size, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = SqliteError(db_, rc, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (!bind_status_.ok()) {
    Status status = bind_status_;
    Reset();
    return status;
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = SqliteError(db_, rc, std::string("statement ") + sqlite3_sql(stmt_));
  Reset();
  return status;
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) break;
  }
  Reset();
  return OkStatus();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_status_ = OkStatus();
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::string_view Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string_view(static_cast<const char*>(data),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  // SQLite counts every allocation under a global mutex unless told not to; quitt never reads
  // those counters, and the lock cost 8 % of a bank import. The setting must come before SQLite
  // initialises, which the first open of the process does (a later call is refused, harmlessly).
  static const bool memory_statistics_off = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)memory_statistics_off;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = Unavailable("cannot open database '" + path +
                                "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<Database> database(new Database(db, path));
  sqlite3_busy_timeout(db, 10000);
  // 16 KB pages (for a new database; an existing one keeps its size): SQLite writes the WAL,
  // and copies it into the database, one system call per page, and on this kind of machine those
  // calls were a third of a large import's time with 4 KB pages. Larger pages cost more CPU per
  // row again (64 KB: 13 % slower than 16 KB).
  // A 32 MB page cache: a large import spills to the WAL as it goes either way, and was a little
  // faster with 32 MB than with 128 MB (the daily run as fast); each connection holds less.
  // WAL: readers never block the writer. synchronous=FULL: a committed import survives a power
  // cut, not only a crash of quitt; imports commit in large batches so the fsync cost is small.
  for (const char* pragma :
       {"PRAGMA page_size=16384", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-32768"}) {
    QUITT_RETURN_IF_ERROR(database->Exec(pragma).WithContext("database '" + path + "'"));
  }
  QUITT_ASSIGN_OR_RETURN(auto page_size, database->Prepare("PRAGMA page_size"));
  QUITT_ASSIGN_OR_RETURN(bool has_row, page_size->Step());
  database->page_size_ = has_row ? page_size->Int(0) : 4096;
  page_size.reset();
  // Replaces SQLite's automatic checkpoint (done inside the commit that crosses 1,000 WAL pages)
  // by one on the background thread. An in-memory database has no WAL and never calls the hook.
  sqlite3_wal_hook(db, &Database::OnWalCommit, database.get());
  return database;
}

namespace {
// SQLite's own automatic checkpoint threshold: 1,000 pages of 4 KB.
constexpr std::int64_t kCheckpointBytes = 1000 * 4096;
// Past this the committing connection checkpoints itself. The WAL is only reused from its start
// when a write transaction begins after a checkpoint has copied all of it, which a writer that
// never pauses hardly ever sees while the checkpoint runs beside it: the WAL grows. At this size
// the inline checkpoint copies what the background thread has not copied yet (about the last
// transaction) and the next transaction starts the WAL again. 64 MB: big enough that the writer
// copies only one transaction in several, small enough for the disk and for WAL look-ups.
constexpr std::int64_t kInlineCheckpointBytes = 16 * kCheckpointBytes;

// The database file's descriptor for the checkpoint's writeback: opened once per file and process
// and never closed, because closing any descriptor of a file drops all of the process's POSIX
// locks on it, SQLite's included (another process could then take the file while this one
// writes). Only files that had a checkpoint of kCheckpointWritebackBytes or more get one.
int DatabaseFileForWriteback(const std::string& path) {
  static std::mutex mutex;
  static auto* descriptors = new std::unordered_map<std::string, int>();  // never destroyed
  std::lock_guard lock(mutex);
  auto found = descriptors->find(path);
  if (found != descriptors->end()) return found->second;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) descriptors->emplace(path, fd);
  return fd;
}

// While an inline checkpoint copies a large WAL into the database file, a helper thread has the
// kernel start writing the copied pages to the disk every 20 ms (sync_file_range, as
// PostgreSQL's checkpoint_flush_after does), so the fsync that ends the checkpoint finds little
// left: for an import of a million claims 1.2 GB waited for that one fsync (0.37 s).
class CheckpointWriteback {
 public:
  explicit CheckpointWriteback(int fd) : fd_(fd) {
    try {
      worker_ = std::thread([this] { Loop(); });
    } catch (...) {  // runs inside a commit: the checkpoint goes on without it
    }
  }
  ~CheckpointWriteback() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
  }
  CheckpointWriteback(const CheckpointWriteback&) = delete;
  CheckpointWriteback& operator=(const CheckpointWriteback&) = delete;

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return done_; })) {
      ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
  }

  const int fd_;  // not owned: see DatabaseFileForWriteback
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread worker_;
};
// Below this a checkpoint's fsync is short anyway.
constexpr std::int64_t kCheckpointWritebackBytes = 256 * 1024 * 1024;
}  // namespace

int Database::OnWalCommit(void* self, sqlite3* db, const char* schema, int frames) {
  auto* database = static_cast<Database*>(self);
  const std::int64_t wal_bytes = std::int64_t{frames} * database->page_size_;
  bool inline_checkpoint = wal_bytes >= kInlineCheckpointBytes;
  if (!inline_checkpoint && wal_bytes >= kCheckpointBytes) {
    // This runs inside the commit (a C callback): nothing may escape. When no thread can be
    // started the commit copies the pages itself, as SQLite would have.
    try {
      if (!database->checkpointer_) {
        database->checkpointer_ = BackgroundCheckpointer::For(database->path_);
      }
      database->checkpointer_->Request();
    } catch (...) {
      inline_checkpoint = true;
    }
  }
  if (inline_checkpoint) {
    std::optional<CheckpointWriteback> writeback;
    try {
      const char* file = sqlite3_db_filename(db, schema);
      if (wal_bytes >= kCheckpointWritebackBytes && file != nullptr && file[0] != '\0') {
        if (const int fd = DatabaseFileForWriteback(file); fd >= 0) writeback.emplace(fd);
      }
    } catch (...) {  // inside the commit: the checkpoint goes on without it
    }
    // Errors (SQLITE_BUSY while the background checkpoint runs) are not the commit's: the next
    // commit tries again.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

// The WAL's own descriptor, closed with the connection: SQLite holds its POSIX locks on the
// database file and the -shm file, never on the WAL (see DatabaseFileForWriteback for why that
// matters). The name is SQLite's own (it resolves the path).
void Database::StartWalWriteback() {
  if (wal_fd_ < 0) {
    const char* database_file = sqlite3_db_filename(db_, "main");
    if (database_file == nullptr || database_file[0] == '\0') return;  // in memory
    const char* wal_file = sqlite3_filename_wal(database_file);
    if (wal_file == nullptr || wal_file[0] == '\0') return;
    wal_fd_ = ::open(wal_file, O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return;  // no WAL yet: the next call tries again
  }
  ::sync_file_range(wal_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

Database::~Database() {
  if (wal_fd_ >= 0) ::close(wal_fd_);
  sqlite3_wal_hook(db_, nullptr, nullptr);  // no callback into a destroyed object, whatever happens
  checkpointer_.reset();  // the last connection of the file joins the thread and closes its own
  cache_.clear();
  sqlite3_close(db_);
}

std::shared_ptr<BackgroundCheckpointer> BackgroundCheckpointer::For(const std::string& path) {
  static std::mutex registry_mutex;
  static std::unordered_map<std::string, std::weak_ptr<BackgroundCheckpointer>> registry;
  std::lock_guard<std::mutex> lock(registry_mutex);
  std::weak_ptr<BackgroundCheckpointer>& entry = registry[path];
  std::shared_ptr<BackgroundCheckpointer> checkpointer = entry.lock();
  if (!checkpointer) {
    checkpointer = std::make_shared<BackgroundCheckpointer>(path);
    entry = checkpointer;
  }
  return checkpointer;
}

BackgroundCheckpointer::~BackgroundCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (worker_.joinable()) worker_.join();
}

void BackgroundCheckpointer::Request() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requested_ = true;
    if (!worker_.joinable()) worker_ = std::thread([this] { Loop(); });
  }
  wake_.notify_one();
}

void BackgroundCheckpointer::Loop() {
  sqlite3* db = nullptr;
  // The checkpoint's fsyncs follow this connection's setting: as durable as the writer's.
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    // Without its own connection the thread does nothing; the committing connections' inline
    // checkpoint past kInlineCheckpointBytes still bounds the WAL.
    sqlite3_close(db);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) break;
    requested_ = false;
    lock.unlock();
    // SQLITE_BUSY: another connection is checkpointing (a commit past the inline threshold);
    // the next request tries again.
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
        SQLITE_OK) {
      done_.fetch_add(1);
    }
    lock.lock();
  }
  lock.unlock();
  sqlite3_close(db);
}

Status Database::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteError(nullptr, rc, message + " (in: " + sql.substr(0, 80) + ")");
  }
  return OkStatus();
}

Result<std::unique_ptr<Statement>> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare " + std::string(sql.substr(0, 80)));
  return std::make_unique<Statement>(db_, stmt);
}

Result<Statement*> Database::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  QUITT_ASSIGN_OR_RETURN(auto statement, Prepare(sql));
  return cache_.emplace(sql, std::move(statement)).first->second.get();
}

}  // namespace quitt::adapters::sqlite
