#include "adapters/storage/sqlite/sqlite_case_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapters/storage/sqlite/migrations.h"
#include "common/check.h"

namespace quitt::adapters::sqlite {

using app::CaseSummary;
using domain::Date;
using domain::Money;

namespace {

std::optional<std::string> OptionalDateText(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return date->ToString();
}

Result<Date> ReadDate(const std::string& text, const char* column) {
  auto date = Date::Parse(text);
  if (!date) return DataLoss(std::string("stored ") + column + ": " + date.error().message());
  return *date;
}

Result<std::optional<Date>> ReadOptionalDate(const std::optional<std::string>& text,
                                             const char* column) {
  if (!text) return std::optional<Date>();
  QUITT_ASSIGN_OR_RETURN(Date date, ReadDate(*text, column));
  return std::optional<Date>(date);
}

Result<domain::Currency> ReadCurrency(const std::string& code) {
  auto currency = domain::Currency::FromCode(code);
  if (!currency) return DataLoss("stored currency: " + currency.error().message());
  return *currency;
}

const char* IdSequenceName(app::IdKind kind) {
  switch (kind) {
    case app::IdKind::kCustomer: return "customer";
    case app::IdKind::kCase: return "case";
    case app::IdKind::kClaim: return "claim";
  }
  return "claim";
}

constexpr const char* kCaseColumns =
    "client_id, case_id, case_number, customer_id, customer_name, customer_kind, status, "
    "currency, principal_minor, claim_count, opened_on, oldest_due_date, last_seq, last_hash, "
    "updated_at";

Result<CaseSummary> ReadCaseRow(Statement& row) {
  CaseSummary c;
  c.client = app::ClientId(row.Int(0));
  c.id = app::CaseId(row.Int(1));
  c.case_number = row.Text(2);
  c.customer = app::CustomerId(row.Int(3));
  c.customer_name = row.Text(4);
  c.customer_kind =
      domain::ParseCustomerKind(row.Text(5)).value_or(domain::CustomerKind::kConsumer);
  c.status = row.Text(6) == "closed" ? domain::CaseStatus::kClosed : domain::CaseStatus::kOpen;
  QUITT_ASSIGN_OR_RETURN(auto currency, ReadCurrency(row.Text(7)));
  c.principal = Money::FromMinorUnits(row.Int(8), currency);
  c.claim_count = static_cast<int>(row.Int(9));
  QUITT_ASSIGN_OR_RETURN(c.opened_on, ReadDate(row.Text(10), "opened_on"));
  QUITT_ASSIGN_OR_RETURN(c.oldest_due_date,
                         ReadOptionalDate(row.OptionalText(11), "oldest_due_date"));
  c.last_seq = row.Int(12);
  std::string_view hash = row.Blob(13);
  if (hash.size() != c.last_hash.size()) return DataLoss("stored last_hash has the wrong size");
  std::copy(hash.begin(), hash.end(), c.last_hash.begin());
  auto updated = domain::Timestamp::Parse(row.Text(14));
  if (!updated) return DataLoss("stored updated_at: " + updated.error().message());
  c.updated_at = *updated;
  return c;
}

Result<domain::Client> ReadClientRow(Statement& row) {
  domain::Client client;
  client.id = app::ClientId(row.Int(0));
  client.code = row.Text(1);
  client.name = row.Text(2);
  client.country = row.Text(3);
  return client;
}

}  // namespace

class SqliteTransaction : public app::Transaction {
 public:
  explicit SqliteTransaction(SqliteCaseStore& store) : store_(store) {}
  ~SqliteTransaction() override {
    if (!done_) {
      // Rolling back cannot meaningfully fail; if it does the connection closes the transaction.
      (void)store_.db_->Exec("ROLLBACK");
      store_.in_transaction_ = false;
    }
  }
  Status Commit() override {
    QUITT_CHECK(!done_);
    done_ = true;
    store_.in_transaction_ = false;
    Status status = store_.db_->Exec("COMMIT");
    if (!status.ok()) (void)store_.db_->Exec("ROLLBACK");
    return status;
  }

 private:
  SqliteCaseStore& store_;
  bool done_ = false;
};

Result<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::Open(const std::string& path,
                                                               app::Clock& clock) {
  QUITT_ASSIGN_OR_RETURN(auto db, Database::Open(path));
  std::unique_ptr<SqliteCaseStore> store(new SqliteCaseStore(std::move(db), clock));
  QUITT_ASSIGN_OR_RETURN(auto applied, store->Migrate());
  (void)applied;
  return store;
}

Result<std::vector<std::string>> SqliteCaseStore::Migrate() {
  QUITT_RETURN_IF_ERROR(db_->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at TEXT NOT NULL)"));
  // A database a newer quitt has migrated may rely on what this binary does not know (since
  // 0009 the store, not a trigger, feeds the webhook outbox): refuse it instead of writing.
  std::int64_t newest_known = 0;
  for (const Migration& migration : EmbeddedMigrations()) {
    const std::string name = migration.name;
    newest_known = std::max<std::int64_t>(newest_known, std::stoll(name.substr(0, name.find('_'))));
  }
  {
    QUITT_ASSIGN_OR_RETURN(auto newest,
                           db_->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    QUITT_ASSIGN_OR_RETURN(bool row, newest->Step());
    if (row && newest->Int(0) > newest_known) {
      return FailedPrecondition("database '" + db_->path() + "' has schema version " +
                                std::to_string(newest->Int(0)) + "; this quitt knows up to " +
                                std::to_string(newest_known) + ": use the newer quitt");
    }
  }
  std::vector<std::string> applied;
  for (const Migration& migration : EmbeddedMigrations()) {
    const std::string name = migration.name;
    const std::int64_t version = std::stoll(name.substr(0, name.find('_')));
    QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    QUITT_ASSIGN_OR_RETURN(auto check,
                           db_->Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
    check->Bind(1, version);
    QUITT_ASSIGN_OR_RETURN(bool done, check->Step());
    check.reset();
    if (done) {
      QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));
      continue;
    }
    Status status = db_->Exec(migration.sql);
    if (status.ok()) {
      QUITT_ASSIGN_OR_RETURN(auto record, db_->Prepare("INSERT INTO schema_migrations(version, "
                                                       "name, applied_at) VALUES (?, ?, ?)"));
      record->Bind(1, version).Bind(2, name).Bind(3, clock_.Now().ToString());
      status = record->Run();
    }
    if (!status.ok()) {
      (void)db_->Exec("ROLLBACK");
      return status.WithContext("migration " + name);
    }
    QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));
    applied.push_back(name);
  }
  return applied;
}

Result<std::unique_ptr<app::Transaction>> SqliteCaseStore::Begin() {
  QUITT_CHECK(!in_transaction_);  // one transaction per connection at a time
  QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  in_transaction_ = true;
  return std::unique_ptr<app::Transaction>(new SqliteTransaction(*this));
}

Result<std::int64_t> SqliteCaseStore::ReserveIds(app::IdKind kind, std::int64_t count) {
  QUITT_CHECK(count > 0);
  QUITT_ASSIGN_OR_RETURN(Statement * update,
                         db_->Cached("UPDATE id_sequences SET next_value = next_value + ? "
                                     "WHERE name = ? RETURNING next_value - ?"));
  update->Bind(1, count).Bind(2, IdSequenceName(kind)).Bind(3, count);
  QUITT_ASSIGN_OR_RETURN(bool row, update->Step());
  if (!row) {
    update->Reset();
    return Internal(std::string("id sequence '") + IdSequenceName(kind) + "' is missing");
  }
  std::int64_t first = update->Int(0);
  QUITT_RETURN_IF_ERROR(update->Run());
  return first;
}

Status SqliteCaseStore::ReleaseIds(app::IdKind kind, std::int64_t first_unused, std::int64_t end) {
  QUITT_CHECK(first_unused <= end);
  QUITT_ASSIGN_OR_RETURN(auto update, db_->Prepare("UPDATE id_sequences SET next_value = ? WHERE "
                                                   "name = ? AND next_value = ?"));
  update->Bind(1, first_unused).Bind(2, IdSequenceName(kind)).Bind(3, end);
  return update->Run();
}

namespace {

// Bulk writes insert kRowsPerInsert rows per statement ("VALUES (...),(...),..."): SQLite's work
// per statement (cursors on the table and each index opened and closed, the statement journal,
// the halt) is then shared by many rows: 16 took a sixth off the time of an import's writes, 64
// about 3 % of the import's CPU more.
constexpr int kRowsPerInsert = 64;

struct InsertSql {
  int columns = 0;
  std::string one;   // one row
  std::string many;  // kRowsPerInsert rows
};

// `head` is "INSERT INTO table(columns)"; `tail` an optional ON CONFLICT clause.
InsertSql MakeInsertSql(std::string_view head, int columns, std::string_view tail = {}) {
  std::string row = "(?";
  for (int column = 1; column < columns; ++column) row += ",?";
  row += ")";
  auto sql = [&](int rows) {
    std::string text(head);
    text += " VALUES ";
    for (int i = 0; i < rows; ++i) text += i == 0 ? row : "," + row;
    if (!tail.empty()) text += " " + std::string(tail);
    return text;
  };
  return {columns, sql(1), sql(kRowsPerInsert)};
}

// Inserts `rows`; bind(statement, first_parameter_index - 1, row) binds one row. When a
// multi-row statement fails, SQLite undoes that statement and its rows are written again one at
// a time, so the error names the row (`describe`). A failure that ended the whole transaction
// is returned at once: nothing may be written outside it.
template <typename Row, typename BindRow, typename DescribeRow>
Status InsertRows(Database& db, const InsertSql& sql, const std::vector<Row>& rows, BindRow bind,
                  DescribeRow describe) {
  std::size_t next = 0;
  if (rows.size() >= static_cast<std::size_t>(kRowsPerInsert)) {
    QUITT_ASSIGN_OR_RETURN(Statement * many, db.Cached(sql.many));
    for (; rows.size() - next >= static_cast<std::size_t>(kRowsPerInsert); next += kRowsPerInsert) {
      for (int i = 0; i < kRowsPerInsert; ++i) bind(*many, i * sql.columns, rows[next + i]);
      Status status = many->Run();
      if (!status.ok()) {
        if (sqlite3_get_autocommit(db.raw())) return status;
        break;
      }
    }
  }
  QUITT_ASSIGN_OR_RETURN(Statement * one, db.Cached(sql.one));
  for (; next < rows.size(); ++next) {
    bind(*one, 0, rows[next]);
    QUITT_RETURN_IF_ERROR(one->Run().WithContext(describe(rows[next])));
  }
  return OkStatus();
}

void BindCustomer(Statement& insert, int at, const domain::Customer& c) {
  insert.Bind(at + 1, c.client.value()).Bind(at + 2, c.id.value()).BindRef(at + 3, c.customer_ref);
  insert.Bind(at + 4, domain::CustomerKindName(c.kind)).BindRef(at + 5, c.name);
  insert.Bind(at + 6, OptionalDateText(c.birth_date));
  insert.BindRef(at + 7, c.address.street)
      .BindRef(at + 8, c.address.postcode)
      .BindRef(at + 9, c.address.city);
  insert.Bind(at + 10, c.address.country);
  insert.Bind(at + 11, nlohmann::json(c.emails).dump());
  insert.Bind(at + 12, nlohmann::json(c.phones).dump());
  insert.Bind(at + 13, c.language);
  insert.Bind(at + 14, c.iban ? std::optional<std::string>(c.iban->electronic()) : std::nullopt);
}

void BindClaim(Statement& insert, int at, const domain::Claim& c) {
  insert.Bind(at + 1, c.client.value()).Bind(at + 2, c.id.value()).BindRef(at + 3, c.client_ref);
  insert.Bind(at + 4, c.case_id.value()).BindRef(at + 5, c.reason);
  insert.Bind(at + 6, c.invoice_date.ToString()).Bind(at + 7, c.due_date.ToString());
  insert.Bind(at + 8, OptionalDateText(c.default_date));
  insert.Bind(at + 9, domain::DefaultBasisName(c.default_basis));
  insert.Bind(at + 10, OptionalDateText(c.obligation_date));
  insert.Bind(at + 11, c.principal.minor_units()).Bind(at + 12, c.client_costs.minor_units());
  insert.Bind(at + 13, c.principal.currency().code());
  insert.Bind(at + 14, std::int64_t{c.interest.statutory});
  insert.Bind(at + 15, std::int64_t{c.interest.contractual_rate_bp});
  insert.Bind(at + 16, std::int64_t{c.interest.remuneration_claim});
  insert.Bind(at + 17, std::int64_t{c.interest.consumer_credit});
}

// The events of an import or a daily run share one instant and one business date: each is
// formatted once, not once per row (the writing thread is the import's bottleneck). One cache
// per type and thread.
template <typename Value>
const std::string& CachedText(const Value& value) {
  thread_local std::optional<Value> last;
  thread_local std::string text;
  if (!last || value != *last) {
    last = value;
    text = value.ToString();
  }
  return text;
}

void BindEvent(Statement& insert, int at, const domain::StoredCaseEvent& stored) {
  const auto& e = stored.event;
  insert.Bind(at + 1, e.client.value()).Bind(at + 2, e.case_id.value()).Bind(at + 3, e.seq);
  insert.BindRef(at + 4, stored.type).Bind(at + 5, std::int64_t{stored.schema_version});
  // Bind copies the text (the cached text changes when a row of the statement differs).
  insert.Bind(at + 6, CachedText(e.effective_date)).Bind(at + 7, CachedText(e.recorded_at));
  insert.BindRef(at + 8, e.actor).BindRef(at + 9, stored.payload_json);
  insert.BindBlob(at + 10, stored.previous_hash.data(), 32);
  insert.BindBlob(at + 11, stored.hash.data(), 32);
}

void BindCase(Statement& upsert, int at, const CaseSummary& c) {
  upsert.Bind(at + 1, c.client.value()).Bind(at + 2, c.id.value()).BindRef(at + 3, c.case_number);
  upsert.Bind(at + 4, c.customer.value()).BindRef(at + 5, c.customer_name);
  upsert.Bind(at + 6, domain::CustomerKindName(c.customer_kind));
  upsert.Bind(at + 7, domain::CaseStatusName(c.status));
  upsert.Bind(at + 8, c.principal.currency().code());
  upsert.Bind(at + 9, c.principal.minor_units()).Bind(at + 10, std::int64_t{c.claim_count});
  upsert.Bind(at + 11, CachedText(c.opened_on)).Bind(at + 12, OptionalDateText(c.oldest_due_date));
  upsert.Bind(at + 13, c.last_seq).BindBlob(at + 14, c.last_hash.data(), 32);
  upsert.Bind(at + 15, CachedText(c.updated_at));
}

}  // namespace

Status SqliteCaseStore::Write(const app::WriteBatch& batch) {
  QUITT_CHECK(in_transaction_);  // writes only inside Begin()/Commit()
  static const InsertSql kInsertCustomer = MakeInsertSql(
      "INSERT INTO customers(client_id, customer_id, customer_ref, kind, name, birth_date, street, "
      "postcode, city, country, emails, phones, language, iban)",
      14);
  static const InsertSql kInsertClaim = MakeInsertSql(
      "INSERT INTO claims(client_id, claim_id, client_ref, case_id, reason, invoice_date, "
      "due_date, default_date, default_basis, obligation_date, principal_minor, "
      "client_costs_minor, currency, interest_statutory, contractual_rate_bp, "
      "remuneration_claim, consumer_credit)",
      17);
  static const InsertSql kInsertEvent = MakeInsertSql(
      "INSERT INTO case_events(client_id, case_id, seq, type, schema_version, effective_date, "
      "recorded_at, actor, payload, previous_hash, hash)",
      11);
  // An upsert, not INSERT OR REPLACE: REPLACE deletes the row and inserts it again, rewriting
  // the entries of the case-number and customer indexes on every posting; the upsert changes the
  // row in place (and a clash of case numbers stays an error instead of deleting the other case).
  static const InsertSql kUpsertCase = MakeInsertSql(
      "INSERT INTO cases(client_id, case_id, case_number, customer_id, customer_name, "
      "customer_kind, status, currency, principal_minor, claim_count, opened_on, "
      "oldest_due_date, last_seq, last_hash, updated_at)",
      15,
      "ON CONFLICT (client_id, case_id) DO UPDATE SET case_number = excluded.case_number, "
      "customer_id = excluded.customer_id, customer_name = excluded.customer_name, "
      "customer_kind = excluded.customer_kind, status = excluded.status, "
      "currency = excluded.currency, principal_minor = excluded.principal_minor, "
      "claim_count = excluded.claim_count, opened_on = excluded.opened_on, "
      "oldest_due_date = excluded.oldest_due_date, last_seq = excluded.last_seq, "
      "last_hash = excluded.last_hash, updated_at = excluded.updated_at");

  QUITT_RETURN_IF_ERROR(
      InsertRows(*db_, kInsertCustomer, batch.new_customers, BindCustomer,
                 [](const domain::Customer& c) { return "customer " + c.customer_ref; }));
  QUITT_RETURN_IF_ERROR(InsertRows(*db_, kInsertClaim, batch.new_claims, BindClaim,
                                   [](const domain::Claim& c) { return "claim " + c.client_ref; }));
  QUITT_RETURN_IF_ERROR(InsertRows(
      *db_, kInsertEvent, batch.events, BindEvent, [](const domain::StoredCaseEvent& stored) {
        return "event " + std::to_string(stored.event.seq) + " of case " +
               std::to_string(stored.event.case_id.value());
      }));
  if (!batch.events.empty()) QUITT_RETURN_IF_ERROR(QueueWebhooks(batch.events));
  QUITT_RETURN_IF_ERROR(InsertRows(*db_, kUpsertCase, batch.case_summaries, BindCase,
                                   [](const CaseSummary& c) { return "case " + c.case_number; }));
  db_->StartWalWriteback();
  return WriteCollection(batch);
}

// Every active endpoint of the event's client gets the event (migration 0009: this replaced a
// trigger on case_events). Endpoints are looked up once per client of the batch; most clients
// have none and cost one look-up.
Status SqliteCaseStore::QueueWebhooks(const std::vector<domain::StoredCaseEvent>& events) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * endpoints,
      db_->Cached("SELECT endpoint_id FROM webhook_endpoints WHERE client_id = ? AND active = 1 "
                  "ORDER BY endpoint_id"));
  QUITT_ASSIGN_OR_RETURN(
      Statement * queue,
      db_->Cached("INSERT INTO webhook_outbox(client_id, endpoint_id, case_id, seq, "
                  "next_attempt_at) VALUES (?, ?, ?, ?, ?)"));
  std::int64_t looked_up_client = -1;
  std::vector<std::int64_t> active;
  for (const auto& stored : events) {
    const domain::CaseEvent& e = stored.event;
    if (e.client.value() != looked_up_client) {
      looked_up_client = e.client.value();
      active.clear();
      ResetOnExit reset(endpoints);
      endpoints->Bind(1, looked_up_client);
      while (true) {
        QUITT_ASSIGN_OR_RETURN(bool row, endpoints->Step());
        if (!row) break;
        active.push_back(endpoints->Int(0));
      }
    }
    for (std::int64_t endpoint : active) {
      queue->Bind(1, e.client.value()).Bind(2, endpoint).Bind(3, e.case_id.value());
      queue->Bind(4, e.seq).Bind(5, e.recorded_at.ToString());
      QUITT_RETURN_IF_ERROR(queue->Run().WithContext("webhook of event " + std::to_string(e.seq) +
                                                     " of case " +
                                                     std::to_string(e.case_id.value())));
    }
  }
  return OkStatus();
}

Result<domain::Client> SqliteCaseStore::AddClient(const domain::Client& input) {
  if (input.code.empty() || input.code.size() > 32) {
    return InvalidArgument("client code must have 1 to 32 characters");
  }
  for (char c : input.code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_')) {
      return InvalidArgument("client code '" + input.code +
                             "' may only contain letters, digits, '-' and '_'");
    }
  }
  if (input.name.empty()) return InvalidArgument("client name must not be empty");
  QUITT_ASSIGN_OR_RETURN(auto existing, FindClientByCode(input.code));
  if (existing) return AlreadyExists("client '" + input.code + "' exists already");
  QUITT_ASSIGN_OR_RETURN(auto insert, db_->Prepare("INSERT INTO clients(code, name, country, "
                                                   "created_at) VALUES (?, ?, ?, ?) RETURNING "
                                                   "client_id"));
  insert->Bind(1, input.code).Bind(2, input.name).Bind(3, input.country);
  insert->Bind(4, clock_.Now().ToString());
  QUITT_ASSIGN_OR_RETURN(bool row, insert->Step());
  if (!row) return Internal("insert of client returned no id");
  domain::Client client = input;
  client.id = app::ClientId(insert->Int(0));
  QUITT_RETURN_IF_ERROR(insert->Run());
  return client;
}

Result<std::optional<domain::Client>> SqliteCaseStore::FindClientByCode(const std::string& code) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_->Cached("SELECT client_id, code, name, country FROM "
                                     "clients WHERE code = ?"));
  ResetOnExit reset(query);
  query->Bind(1, code);
  QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row) return std::optional<domain::Client>();
  QUITT_ASSIGN_OR_RETURN(auto client, ReadClientRow(*query));
  return std::optional<domain::Client>(client);
}

Result<std::optional<domain::Client>> SqliteCaseStore::FindClient(app::ClientId id) {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_->Cached("SELECT client_id, code, name, country FROM "
                                     "clients WHERE client_id = ?"));
  ResetOnExit reset(query);
  query->Bind(1, id.value());
  QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row) return std::optional<domain::Client>();
  QUITT_ASSIGN_OR_RETURN(auto client, ReadClientRow(*query));
  return std::optional<domain::Client>(client);
}

Result<std::vector<domain::Client>> SqliteCaseStore::ListClients() {
  QUITT_ASSIGN_OR_RETURN(Statement * query,
                         db_->Cached("SELECT client_id, code, name, country FROM "
                                     "clients ORDER BY code"));
  ResetOnExit reset(query);
  std::vector<domain::Client> clients;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    QUITT_ASSIGN_OR_RETURN(auto client, ReadClientRow(*query));
    clients.push_back(std::move(client));
  }
  return clients;
}

Result<std::optional<domain::Customer>> SqliteCaseStore::FindCustomer(app::ClientId client,
                                                                      app::CustomerId id) {
  QUITT_ASSIGN_OR_RETURN(auto q,
                         db_->Cached("SELECT customer_ref, kind, name, birth_date, street, "
                                     "postcode, city, country, emails, phones, language, iban "
                                     "FROM customers WHERE client_id = ? AND customer_id = ?"));
  ResetOnExit reset(q);
  q->Bind(1, client.value()).Bind(2, id.value());
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<domain::Customer>();
  domain::Customer c;
  c.id = id;
  c.client = client;
  c.customer_ref = q->Text(0);
  c.kind = domain::ParseCustomerKind(q->Text(1)).value_or(domain::CustomerKind::kConsumer);
  c.name = q->Text(2);
  QUITT_ASSIGN_OR_RETURN(c.birth_date, ReadOptionalDate(q->OptionalText(3), "birth_date"));
  c.address = {q->Text(4), q->Text(5), q->Text(6), q->Text(7)};
  auto emails = nlohmann::json::parse(q->Text(8), nullptr, false);
  auto phones = nlohmann::json::parse(q->Text(9), nullptr, false);
  if (!emails.is_array() || !phones.is_array())
    return DataLoss("stored customer contacts are not lists");
  for (const auto& e : emails) c.emails.push_back(e.get<std::string>());
  for (const auto& p : phones) c.phones.push_back(p.get<std::string>());
  c.language = q->Text(10);
  if (auto iban = q->OptionalText(11)) {
    auto parsed = domain::Iban::Parse(*iban);
    if (!parsed) return DataLoss("stored customer IBAN: " + parsed.error().message());
    c.iban = *parsed;
  }
  return std::optional<domain::Customer>(c);
}

Result<std::vector<CaseSummary>> SqliteCaseStore::QueryCases(
    const std::string& where_sql, const std::function<void(Statement&)>& bind) {
  QUITT_ASSIGN_OR_RETURN(Statement * q, db_->Cached(std::string("SELECT ") + kCaseColumns +
                                                    " FROM cases " + where_sql));
  ResetOnExit reset(q);
  bind(*q);
  std::vector<CaseSummary> cases;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    QUITT_ASSIGN_OR_RETURN(auto summary, ReadCaseRow(*q));
    cases.push_back(std::move(summary));
  }
  return cases;
}

Result<std::optional<CaseSummary>> SqliteCaseStore::FindCaseByNumber(const std::string& number) {
  // The hot read of the API's case detail: the SQL text is built once, not per call, and the one
  // row is read without a vector.
  static const std::string kQuery =
      std::string("SELECT ") + kCaseColumns + " FROM cases WHERE case_number = ?";
  QUITT_ASSIGN_OR_RETURN(Statement * q, db_->Cached(kQuery));
  ResetOnExit reset(q);
  q->Bind(1, number);
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<CaseSummary>();
  QUITT_ASSIGN_OR_RETURN(auto summary, ReadCaseRow(*q));
  return std::optional<CaseSummary>(std::move(summary));
}

Result<std::optional<CaseSummary>> SqliteCaseStore::FindCase(app::ClientId client, app::CaseId id) {
  QUITT_ASSIGN_OR_RETURN(
      auto cases, QueryCases("WHERE client_id = ? AND case_id = ?",
                             [&](Statement& q) { q.Bind(1, client.value()).Bind(2, id.value()); }));
  if (cases.empty()) return std::optional<CaseSummary>();
  return std::optional<CaseSummary>(cases.front());
}

Result<std::vector<CaseSummary>> SqliteCaseStore::ListCases(const app::CaseFilter& f) {
  std::string where = "WHERE 1=1";
  if (f.client) where += " AND client_id = ?1";
  if (f.status) where += " AND status = ?2";
  if (f.customer_kind) where += " AND customer_kind = ?3";
  if (f.min_principal_minor) where += " AND principal_minor >= ?4";
  if (f.max_principal_minor) where += " AND principal_minor <= ?5";
  if (f.opened_from) where += " AND opened_on >= ?6";
  if (f.opened_to) where += " AND opened_on <= ?7";
  if (!f.customer_name_contains.empty()) where += " AND instr(lower(customer_name), lower(?8)) > 0";
  if (f.after) where += " AND case_id > ?9";
  where += " ORDER BY case_id LIMIT ?10";
  return QueryCases(where, [&](Statement& q) {
    if (f.client) q.Bind(1, f.client->value());
    if (f.status) q.Bind(2, domain::CaseStatusName(*f.status));
    if (f.customer_kind) q.Bind(3, domain::CustomerKindName(*f.customer_kind));
    if (f.min_principal_minor) q.Bind(4, *f.min_principal_minor);
    if (f.max_principal_minor) q.Bind(5, *f.max_principal_minor);
    if (f.opened_from) q.Bind(6, f.opened_from->ToString());
    if (f.opened_to) q.Bind(7, f.opened_to->ToString());
    if (!f.customer_name_contains.empty()) q.Bind(8, f.customer_name_contains);
    if (f.after) q.Bind(9, f.after->value());
    q.Bind(10, std::int64_t{f.limit});
  });
}

Result<std::vector<domain::StoredCaseEvent>> SqliteCaseStore::LoadHistory(app::ClientId client,
                                                                          app::CaseId id) {
  // A std::string once, so the statement cache look-up does not build one per call.
  static const std::string kQuery =
      "SELECT seq, type, schema_version, effective_date, recorded_at, actor, payload, "
      "previous_hash, hash FROM case_events WHERE client_id = ? AND case_id = ? ORDER BY seq";
  QUITT_ASSIGN_OR_RETURN(Statement * q, db_->Cached(kQuery));
  q->Bind(1, client.value()).Bind(2, id.value());
  std::vector<domain::StoredCaseEvent> history;
  while (true) {
    auto row = q->Step();
    if (!row) return row.error();
    if (!*row) break;
    domain::StoredCaseEvent stored;
    stored.event.client = client;
    stored.event.case_id = id;
    stored.event.seq = q->Int(0);
    stored.type = q->Text(1);
    stored.schema_version = static_cast<int>(q->Int(2));
    auto effective = Date::Parse(q->Text(3));
    auto recorded = domain::Timestamp::Parse(q->Text(4));
    if (!effective || !recorded) {
      q->Reset();
      return DataLoss("event " + std::to_string(stored.event.seq) +
                      " has an unreadable effective date or recorded-at");
    }
    stored.event.effective_date = *effective;
    stored.event.recorded_at = *recorded;
    stored.event.actor = q->Text(5);
    stored.payload_json = q->Text(6);
    std::string_view previous = q->Blob(7);
    std::string_view hash = q->Blob(8);
    if (previous.size() != 32 || hash.size() != 32) {
      q->Reset();
      return DataLoss("event " + std::to_string(stored.event.seq) + " has a malformed hash");
    }
    std::copy(previous.begin(), previous.end(), stored.previous_hash.begin());
    std::copy(hash.begin(), hash.end(), stored.hash.begin());
    history.push_back(std::move(stored));
  }
  q->Reset();
  return history;
}

Status SqliteCaseStore::ForEachCase(std::optional<app::ClientId> client,
                                    const std::function<Status(const CaseSummary&)>& visit) {
  // Pages of 1,000 by id keep memory flat and let `visit` use the connection.
  std::optional<app::CaseId> after;
  while (true) {
    app::CaseFilter filter;
    filter.client = client;
    filter.after = after;
    filter.limit = 1000;
    QUITT_ASSIGN_OR_RETURN(auto page, ListCases(filter));
    for (const auto& summary : page) QUITT_RETURN_IF_ERROR(visit(summary));
    if (page.size() < 1000) return OkStatus();
    after = page.back().id;
  }
}

Result<app::ImportIndex> SqliteCaseStore::LoadImportIndex(app::ClientId client) {
  app::ImportIndex index;
  {
    QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT client_ref, claim_id, case_id, "
                                                "principal_minor, currency FROM claims WHERE "
                                                "client_id = ?"));
    q->Bind(1, client.value());
    while (true) {
      QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      index.claims_by_ref.emplace(
          q->Text(0), app::ImportIndex::KnownClaim{app::ClaimId(q->Int(1)), app::CaseId(q->Int(2)),
                                                   q->Int(3), q->Text(4)});
    }
  }
  {
    QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT customer_ref, customer_id FROM customers "
                                                "WHERE client_id = ?"));
    q->Bind(1, client.value());
    while (true) {
      QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      index.customers_by_ref.emplace(q->Text(0), app::CustomerId(q->Int(1)));
    }
  }
  QUITT_ASSIGN_OR_RETURN(auto cases, QueryCases("WHERE client_id = ?",
                                                [&](Statement& q) { q.Bind(1, client.value()); }));
  for (auto& summary : cases) {
    index.case_count_by_customer[summary.customer.value()] += 1;
    if (summary.status == domain::CaseStatus::kOpen) {
      index.open_cases.push_back(std::move(summary));
    }
  }
  return index;
}

Result<app::ImportIndex> SqliteCaseStore::LoadImportIndexFor(
    app::ClientId client, const std::vector<std::string>& claim_refs,
    const std::vector<std::string>& customer_refs) {
  app::ImportIndex index;
  // Point look-ups on the unique indexes of (client, reference), one prepared statement each.
  QUITT_ASSIGN_OR_RETURN(Statement * claim,
                         db_->Cached("SELECT claim_id, case_id, principal_minor, currency FROM "
                                     "claims WHERE client_id = ? AND client_ref = ?"));
  for (const auto& ref : claim_refs) {
    ResetOnExit reset(claim);
    claim->Bind(1, client.value()).Bind(2, ref);
    QUITT_ASSIGN_OR_RETURN(bool row, claim->Step());
    if (row) {
      index.claims_by_ref.emplace(
          ref, app::ImportIndex::KnownClaim{app::ClaimId(claim->Int(0)), app::CaseId(claim->Int(1)),
                                            claim->Int(2), claim->Text(3)});
    }
  }
  QUITT_ASSIGN_OR_RETURN(
      Statement * customer,
      db_->Cached("SELECT customer_id FROM customers WHERE client_id = ? AND customer_ref = ?"));
  for (const auto& ref : customer_refs) {
    std::optional<app::CustomerId> found;
    {
      ResetOnExit reset(customer);
      customer->Bind(1, client.value()).Bind(2, ref);
      QUITT_ASSIGN_OR_RETURN(bool row, customer->Step());
      if (row) found = app::CustomerId(customer->Int(0));
    }
    if (!found || !index.customers_by_ref.emplace(ref, *found).second) continue;
    // INDEXED BY: without statistics SQLite walks the primary key over every case of the client
    // instead of seeking the customer (a re-import of 1M claims took minutes).
    QUITT_ASSIGN_OR_RETURN(
        auto open,
        QueryCases("INDEXED BY cases_by_customer WHERE client_id = ? AND customer_id = ? AND "
                   "status = 'open'",
                   [&](Statement& q) { q.Bind(1, client.value()).Bind(2, found->value()); }));
    for (auto& summary : open) index.open_cases.push_back(std::move(summary));
  }
  return index;
}

Result<std::int64_t> SqliteCaseStore::CountClaims(app::ClientId client, std::int64_t up_to) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * count,
      db_->Cached("SELECT count(*) FROM (SELECT 1 FROM claims WHERE client_id = ? LIMIT ?)"));
  ResetOnExit reset(count);
  count->Bind(1, client.value()).Bind(2, up_to);
  QUITT_ASSIGN_OR_RETURN(bool row, count->Step());
  return row ? count->Int(0) : 0;
}

}  // namespace quitt::adapters::sqlite
