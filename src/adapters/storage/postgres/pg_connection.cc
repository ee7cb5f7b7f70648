#include "adapters/storage/postgres/pg_connection.h"

#include <algorithm>
#include <charconv>

namespace quitt::adapters::postgres {

namespace {

// NOTICEs ("relation already exists, skipping") are not for the person running quitt.
void IgnoreNotice(void*, const char*) {}

std::string TrimmedMessage(const char* text) {
  std::string message = text ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

constexpr char kHex[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Params& Params::Add(std::int64_t value) { return Add(std::to_string(value)); }

Params& Params::Add(std::string value) {
  values_.emplace_back(std::move(value));
  return *this;
}

Params& Params::Add(const std::optional<std::string>& value) {
  values_.push_back(value);
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

const char* const* Params::pointers() const {
  pointers_.clear();
  for (const auto& value : values_) pointers_.push_back(value ? value->c_str() : nullptr);
  return pointers_.data();
}

std::optional<std::string> Rows::OptionalString(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return String(row, column);
}

std::int64_t Rows::Int(int row, int column) const {
  std::string_view text = Text(row, column);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool Rows::Digest(int row, int column, Sha256Digest& out) const {
  std::string_view text = Text(row, column);
  if (text.size() != 2 + 2 * out.size() || text.substr(0, 2) != "\\x") return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = HexValue(text[2 + 2 * i]);
    int low = HexValue(text[3 + 2 * i]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Unavailable("PostgreSQL: out of memory while connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = TrimmedMessage(PQerrorMessage(conn));
    PQfinish(conn);
    return Unavailable("cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    std::string message = TrimmedMessage(PQerrorMessage(conn));
    PQfinish(conn);
    return Unavailable("PostgreSQL: cannot use UTF8: " + message);
  }
  std::unique_ptr<Connection> connection(new Connection(conn));
  // Dates and instants cross the wire as ISO 8601 text and are read back as day and microsecond
  // numbers, so the session's zone and date style cannot change them; UTC keeps psql views plain.
  QUITT_RETURN_IF_ERROR(connection->Exec("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'"));
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

Status StatusFromSqlState(std::string_view sqlstate, std::string message) {
  if (sqlstate == "23505" || sqlstate == "40001" || sqlstate == "40P01") {
    return Aborted(std::move(message));
  }
  if (sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate.substr(0, 2) == "53") {
    return Unavailable(std::move(message));
  }
  if (sqlstate.substr(0, 2) == "23" || sqlstate.substr(0, 2) == "22") {
    return InvalidArgument(std::move(message));
  }
  if (sqlstate == "P0001") return FailedPrecondition(std::move(message));
  return Internal(std::move(message));
}

Result<Rows> Connection::Check(PGresult* result, std::string_view sql) {
  Rows rows(result);
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  if (result == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    return Unavailable("PostgreSQL connection lost: " + TrimmedMessage(PQerrorMessage(conn_)));
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string message = TrimmedMessage(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
    message += " (" + TrimmedMessage(detail) + ")";
  }
  std::string_view head = sql.substr(0, sql.find_first_of("(\n"));
  return StatusFromSqlState(state ? state : "", message + " [" + std::string(head) + "]");
}

Status Connection::Exec(const std::string& sql) {
  // PQexec with several statements returns the last result only; an earlier failure stops the
  // batch and is that last result.
  auto rows = Check(PQexec(conn_, sql.c_str()), sql);
  return rows.ok() ? OkStatus() : rows.error();
}

Result<std::string> Connection::ExecForTag(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  std::string tag = result ? PQcmdStatus(result) : "";
  QUITT_ASSIGN_OR_RETURN(Rows rows, Check(result, sql));
  (void)rows;
  return tag;
}

Result<Rows> Connection::Query(const std::string& sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "quitt_" + std::to_string(prepared_.size() + 1);
    QUITT_ASSIGN_OR_RETURN(Rows prepared,
                           Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql));
    (void)prepared;
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  return Check(PQexecPrepared(conn_, found->second.c_str(), params.size(), params.pointers(),
                              nullptr, nullptr, 0),
               sql);
}

Status Connection::CopyIn(const std::string& copy_sql, const std::string& data) {
  PGresult* start = PQexec(conn_, copy_sql.c_str());
  if (start == nullptr || PQresultStatus(start) != PGRES_COPY_IN) {
    auto failed = Check(start, copy_sql);
    return failed.ok() ? Internal("COPY did not start: " + copy_sql) : failed.error();
  }
  PQclear(start);
  // Sent in slices so libpq never has to buffer the whole batch twice.
  constexpr std::size_t kSlice = 1 << 20;
  bool sent = true;
  for (std::size_t offset = 0; sent && offset < data.size(); offset += kSlice) {
    int length = static_cast<int>(std::min(kSlice, data.size() - offset));
    sent = PQputCopyData(conn_, data.data() + offset, length) == 1;
  }
  if (PQputCopyEnd(conn_, sent ? nullptr : "quitt: sending COPY data failed") != 1) {
    return Unavailable("PostgreSQL connection lost during COPY: " +
                       TrimmedMessage(PQerrorMessage(conn_)));
  }
  // The outcome (a unique violation, say) comes as the result after the data; drain them all.
  Status status;
  while (PGresult* result = PQgetResult(conn_)) {
    auto checked = Check(result, copy_sql);
    if (!checked.ok() && status.ok()) status = checked.error();
  }
  return status;
}

void ArrayLiteral::Separate() {
  if (!first_) text_ += ',';
  first_ = false;
}

ArrayLiteral& ArrayLiteral::Add(std::int64_t value) {
  Separate();
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  text_.append(buffer, end);
  return *this;
}

ArrayLiteral& ArrayLiteral::Add(std::string_view text) {
  Separate();
  // Quoted always, so empty strings, spaces, commas and the word NULL stay text.
  text_ += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') text_ += '\\';
    text_ += c;
  }
  text_ += '"';
  return *this;
}

ArrayLiteral& ArrayLiteral::AddOptional(const std::optional<std::string>& text) {
  return text ? Add(std::string_view(*text)) : AddNull();
}

ArrayLiteral& ArrayLiteral::AddBool(bool value) {
  Separate();
  text_ += value ? 't' : 'f';
  return *this;
}

ArrayLiteral& ArrayLiteral::AddBytes(const Sha256Digest& bytes) {
  Separate();
  // bytea hex input "\x..."; the backslash is escaped inside the quoted element.
  text_ += "\"\\\\x";
  for (std::uint8_t b : bytes) {
    text_ += kHex[b >> 4];
    text_ += kHex[b & 0xf];
  }
  text_ += '"';
  return *this;
}

ArrayLiteral& ArrayLiteral::AddNull() {
  Separate();
  text_ += "NULL";
  return *this;
}

std::string ArrayLiteral::Finish() {
  text_ += '}';
  std::string literal = std::move(text_);
  text_ = "{";
  first_ = true;
  return literal;
}

void CopyRows::Separate() {
  if (row_started_) text_ += '\t';
  row_started_ = true;
}

CopyRows& CopyRows::Field(std::int64_t value) {
  Separate();
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  text_.append(buffer, end);
  return *this;
}

CopyRows& CopyRows::Field(std::string_view text) {
  Separate();
  for (char c : text) {
    switch (c) {
      case '\\': text_ += "\\\\"; break;
      case '\n': text_ += "\\n"; break;
      case '\r': text_ += "\\r"; break;
      case '\t': text_ += "\\t"; break;
      default: text_ += c;
    }
  }
  return *this;
}

CopyRows& CopyRows::FieldOptional(const std::optional<std::string>& text) {
  if (text) return Field(std::string_view(*text));
  Separate();
  text_ += "\\N";
  return *this;
}

CopyRows& CopyRows::FieldBool(bool value) {
  Separate();
  text_ += value ? 't' : 'f';
  return *this;
}

CopyRows& CopyRows::FieldBytes(const Sha256Digest& bytes) {
  Separate();
  // bytea hex input "\x..." with its backslash escaped for COPY.
  text_ += "\\\\x";
  for (std::uint8_t b : bytes) {
    text_ += kHex[b >> 4];
    text_ += kHex[b & 0xf];
  }
  return *this;
}

void CopyRows::EndRow() {
  text_ += '\n';
  row_started_ = false;
  ++rows_;
}

}  // namespace quitt::adapters::postgres
