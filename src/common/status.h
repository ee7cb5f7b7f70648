#pragma once
// Status and Result<T>: how an expected failure travels (see CONTRIBUTING.md, "Errors").
//
// A Status is either OK or carries a canonical code plus a message written for the person who
// has to fix the input ("claims.csv:17: field 'iban': check digits do not match"). Result<T> holds
// either a T or a non-OK Status and offers the std::expected surface (has_value, value, error,
// operator*, operator->) so it can become an alias of std::expected once the compiler has it.
// Both are [[nodiscard]]: an ignored failure is a bug.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace quitt {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; fixing the input fixes it
  kNotFound,            // the thing asked for does not exist (or is not visible to the caller)
  kAlreadyExists,       // creating something that is there
  kFailedPrecondition,  // the system is not in a state where this can happen (e.g. case closed)
  kAborted,             // a concurrent change won; retrying may succeed
  kUnavailable,         // a resource (database, server) cannot be reached
  kDataLoss,            // stored data is corrupt (a broken hash chain, say)
  kInternal,            // an invariant of ours broke in a way we could detect at runtime
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>"; "ok" for OK.
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>", to add where the failure happened.
  Status WithContext(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return InvalidArgument(...);` both read naturally.
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "a Result built from a Status must carry an error");
    if (status_.ok()) status_ = Internal("Result constructed from an OK status");
  }

  bool has_value() const { return value_.has_value(); }
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  // The failure; OK when a value is held.
  const Status& error() const { return status_; }
  const Status& status() const { return status_; }

  template <typename U>
  T value_or(U&& fallback) const& {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace quitt

#define QUITT_STATUS_CONCAT_INNER(a, b) a##b
#define QUITT_STATUS_CONCAT(a, b) QUITT_STATUS_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define QUITT_RETURN_IF_ERROR(expr)                        \
  do {                                                     \
    ::quitt::Status quitt_status_tmp_ = (expr);            \
    if (!quitt_status_tmp_.ok()) return quitt_status_tmp_; \
  } while (0)

// `QUITT_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the Result's value or returns its
// error.
#define QUITT_ASSIGN_OR_RETURN(lhs, expr) \
  QUITT_ASSIGN_OR_RETURN_IMPL(QUITT_STATUS_CONCAT(quitt_result_, __LINE__), lhs, expr)
#define QUITT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.has_value()) return tmp.error();         \
  lhs = std::move(tmp).value()
