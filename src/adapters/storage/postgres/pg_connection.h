#pragma once
// A thin RAII layer over libpq: a connection whose statements are prepared once per connection
// (cached by their SQL text), results that free themselves, text-format parameters, and the
// mapping of SQLSTATE codes to Status codes. Nothing here throws.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/sha256.h"
#include "common/status.h"

namespace quitt::adapters::postgres {

// The parameters of one statement, all in text format; std::nullopt is SQL NULL.
class Params {
 public:
  Params& Add(std::int64_t value);
  Params& Add(std::string value);
  Params& Add(std::string_view value) { return Add(std::string(value)); }
  Params& Add(const char* value) { return Add(std::string(value)); }
  Params& Add(const std::optional<std::string>& value);
  Params& AddBool(bool value) { return Add(value ? "t" : "f"); }
  Params& AddNull();

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into the values, valid until the next Add.
  const char* const* pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
  mutable std::vector<const char*> pointers_;
};

// The rows of a query result (text format). Owns the PGresult.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}

  int size() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string_view Text(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
  }
  std::string String(int row, int column) const { return std::string(Text(row, column)); }
  std::optional<std::string> OptionalString(int row, int column) const;
  // Integer columns (bigint, integer, smallint); 0 for NULL.
  std::int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const { return Text(row, column) == "t"; }
  // A bytea column of exactly 32 bytes (text format "\x" + 64 hex digits); false otherwise.
  bool Digest(int row, int column, Sha256Digest& out) const;

 private:
  std::shared_ptr<PGresult> result_;
};

class Connection {
 public:
  // `conninfo` is a URL (postgresql://user@host:port/db?...) or "key=value" pairs. A server that
  // cannot be reached is kUnavailable.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (simple query protocol): DDL, BEGIN, COMMIT.
  Status Exec(const std::string& sql);
  // Runs a statement with parameters $1..$n, prepared on first use and kept for the connection.
  Result<Rows> Query(const std::string& sql, const Params& params = Params());
  // Like Exec, but returns the command tag ("COMMIT", or "ROLLBACK" for a failed transaction).
  Result<std::string> ExecForTag(const std::string& sql);

  // Streams `data` (COPY text format, see CopyRows) into the table with
  // "COPY table (columns) FROM STDIN": the fastest way into PostgreSQL for plain inserts.
  Status CopyIn(const std::string& copy_sql, const std::string& data);

  PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<Rows> Check(PGresult* result, std::string_view sql);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text → statement name
};

// The Status for a failed result (or connection): unique violations and serialization failures
// are kAborted (a concurrent writer won; retry), lost connections kUnavailable, check and
// not-null violations kInvalidArgument, errors raised by our triggers kFailedPrecondition.
Status StatusFromSqlState(std::string_view sqlstate, std::string message);

// Builds a PostgreSQL array literal ('{1,2,NULL}' / '{"a","b"}') for bulk writes through
// unnest($1::bigint[], ...): one round trip and one statement for thousands of rows.
class ArrayLiteral {
 public:
  ArrayLiteral() { text_ = "{"; }
  void Reserve(std::size_t bytes) { text_.reserve(bytes); }
  ArrayLiteral& Add(std::int64_t value);
  ArrayLiteral& Add(std::string_view text);
  ArrayLiteral& AddOptional(const std::optional<std::string>& text);  // NULL when empty
  ArrayLiteral& AddBool(bool value);
  ArrayLiteral& AddBytes(const Sha256Digest& bytes);
  ArrayLiteral& AddNull();
  // The literal; the builder is left empty.
  std::string Finish();

 private:
  void Separate();
  std::string text_;
  bool first_ = true;
};

// Rows in COPY text format: fields separated by tabs, rows by newlines, \N for NULL, backslash
// escapes for the characters that would break the framing.
class CopyRows {
 public:
  void Reserve(std::size_t bytes) { text_.reserve(bytes); }
  CopyRows& Field(std::int64_t value);
  CopyRows& Field(std::string_view text);
  CopyRows& Field(const char* text) { return Field(std::string_view(text)); }
  CopyRows& Field(const std::string& text) { return Field(std::string_view(text)); }
  CopyRows& FieldOptional(const std::optional<std::string>& text);  // \N when empty
  CopyRows& FieldBool(bool value);
  CopyRows& FieldBytes(const Sha256Digest& bytes);
  void EndRow();
  const std::string& text() const { return text_; }
  std::int64_t rows() const { return rows_; }

 private:
  void Separate();
  std::string text_;
  bool row_started_ = false;
  std::int64_t rows_ = 0;
};

}  // namespace quitt::adapters::postgres
