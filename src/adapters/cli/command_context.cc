#include "adapters/cli/command_context.h"

#include <fmt/format.h>

#include <cstdlib>

#include "adapters/storage/open_store.h"

namespace quitt::adapters::cli {

std::string CommandContext::DatabasePath() const {
  if (!global_.db.empty()) return global_.db;
  const char* env_db = std::getenv("QUITT_DB");
  return env_db != nullptr && *env_db != 0 ? env_db : env_.default_db;
}

Status CommandContext::Prepare() {
  if (!global_.now.empty() && !fixed_clock_) {
    auto now = domain::Timestamp::Parse(global_.now);
    if (!now) return now.error().WithContext("--now");
    fixed_clock_ = std::make_unique<app::FixedClock>(*now);
  }
  if (store_) return OkStatus();
  auto store = OpenStore(DatabasePath(), clock());
  if (!store) return store.error();
  store_ = std::move(*store);
  return OkStatus();
}

Result<sqlite::SqliteCaseStore*> CommandContext::SqliteStore(const std::string& what) {
  auto* sqlite_store = dynamic_cast<sqlite::SqliteCaseStore*>(store_.get());
  if (sqlite_store == nullptr) {
    return FailedPrecondition(what +
                              " need a SQLite database for now (--db FILE); PostgreSQL "
                              "does not have them yet");
  }
  return sqlite_store;
}

domain::Date CommandContext::today() {
  return fixed_clock_ ? fixed_clock_->Now().UtcDate() : env_.today;
}

int CommandContext::Fail(const Status& status) {
  err() << "quitt: " << status.message() << "\n";
  return kExitFailed;
}

std::function<void()> CommandContext::Run(std::function<int()> body) {
  return [this, body = std::move(body)] {
    Status status = Prepare();
    exit_code_ = status.ok() ? body() : Fail(status);
  };
}

std::string WithThousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

ProgressLine::ProgressLine(std::ostream& err, bool enabled)
    : err_(err), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressLine::Update(const app::ImportProgress& p) {
  if (!enabled_) return;
  const double seconds = Seconds();
  const int percent = p.size > 0 ? static_cast<int>(p.position * 100 / p.size) : 0;
  const auto rate =
      seconds > 0 ? static_cast<std::int64_t>(static_cast<double>(p.rows) / seconds) : 0;
  err_ << fmt::format("\r  {} rows read ({}%), {} rows/s   ", WithThousands(p.rows), percent,
                      WithThousands(rate))
       << std::flush;
  shown_ = true;
}

void ProgressLine::Done() {
  if (shown_) err_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
}

double ProgressLine::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace quitt::adapters::cli
