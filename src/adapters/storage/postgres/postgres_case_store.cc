#include "adapters/storage/postgres/postgres_case_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "adapters/storage/postgres/pg_store_support.h"
#include "common/check.h"

namespace quitt::adapters::postgres {

using app::CaseSummary;
using domain::Date;
using domain::Money;

namespace {

// Serialises migrations of concurrently starting processes ("quitt" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x71756974;

std::optional<std::string> OptionalDateText(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return date->ToString();
}

const char* SequenceName(app::IdKind kind) {
  switch (kind) {
    case app::IdKind::kCustomer: return "customer_ids";
    case app::IdKind::kCase: return "case_ids";
    case app::IdKind::kClaim: return "claim_ids";
  }
  return "claim_ids";
}

domain::Client ReadClientRow(const Rows& rows, int r) {
  domain::Client client;
  client.id = app::ClientId(rows.Int(r, 0));
  client.code = rows.String(r, 1);
  client.name = rows.String(r, 2);
  client.country = rows.String(r, 3);
  return client;
}

}  // namespace

// Columns are read as numbers, so neither the session's DateStyle nor its TimeZone matter.
std::string DaysColumn(const char* column) {
  return std::string("(") + column + " - DATE '1970-01-01')";
}
std::string MicrosColumn(const char* column) {
  return std::string("(extract(epoch FROM ") + column + ") * 1000000)::bigint";
}

const std::string& CaseColumns() {
  static const std::string kColumns =
      "client_id, case_id, case_number, customer_id, customer_name, customer_kind, status, "
      "currency, principal_minor, claim_count, " +
      DaysColumn("opened_on") + ", " + DaysColumn("oldest_due_date") + ", last_seq, last_hash, " +
      MicrosColumn("updated_at");
  return kColumns;
}

Date DateFromDays(const Rows& rows, int row, int column) {
  return Date::FromDaysSinceEpoch(static_cast<std::int32_t>(rows.Int(row, column)));
}

std::optional<Date> OptionalDateFromDays(const Rows& rows, int row, int column) {
  if (rows.IsNull(row, column)) return std::nullopt;
  return DateFromDays(rows, row, column);
}

Result<domain::Currency> ReadCurrency(const std::string& code) {
  auto currency = domain::Currency::FromCode(code);
  if (!currency) return DataLoss("stored currency: " + currency.error().message());
  return *currency;
}

Result<CaseSummary> ReadCaseRow(const Rows& rows, int r, int first) {
  CaseSummary c;
  c.client = app::ClientId(rows.Int(r, first + 0));
  c.id = app::CaseId(rows.Int(r, first + 1));
  c.case_number = rows.String(r, first + 2);
  c.customer = app::CustomerId(rows.Int(r, first + 3));
  c.customer_name = rows.String(r, first + 4);
  c.customer_kind =
      domain::ParseCustomerKind(rows.Text(r, first + 5)).value_or(domain::CustomerKind::kConsumer);
  c.status =
      rows.Text(r, first + 6) == "closed" ? domain::CaseStatus::kClosed : domain::CaseStatus::kOpen;
  QUITT_ASSIGN_OR_RETURN(auto currency, ReadCurrency(rows.String(r, first + 7)));
  c.principal = Money::FromMinorUnits(rows.Int(r, first + 8), currency);
  c.claim_count = static_cast<int>(rows.Int(r, first + 9));
  c.opened_on = DateFromDays(rows, r, first + 10);
  c.oldest_due_date = OptionalDateFromDays(rows, r, first + 11);
  c.last_seq = rows.Int(r, first + 12);
  if (!rows.Digest(r, first + 13, c.last_hash)) {
    return DataLoss("case " + c.case_number + ": stored last_hash is not 32 bytes");
  }
  c.updated_at = domain::Timestamp::FromUnixMicros(rows.Int(r, first + 14));
  return c;
}

// Runs `write(first, last)` over slices of at most kRowsPerStatement rows.
Status InSlices(std::size_t count, const std::function<Status(std::size_t, std::size_t)>& write) {
  for (std::size_t first = 0; first < count; first += kRowsPerStatement) {
    QUITT_RETURN_IF_ERROR(write(first, std::min(count, first + kRowsPerStatement)));
  }
  return OkStatus();
}

class PostgresTransaction : public app::Transaction {
 public:
  explicit PostgresTransaction(PostgresCaseStore& store) : store_(store) {}
  ~PostgresTransaction() override {
    if (!done_) {
      // A failed rollback leaves nothing behind either: the server drops an open transaction
      // when the connection closes.
      (void)store_.db_->Exec("ROLLBACK");
      store_.in_transaction_ = false;
    }
  }
  Status Commit() override {
    QUITT_CHECK(!done_);
    done_ = true;
    store_.in_transaction_ = false;
    // After an error inside the transaction the server answers COMMIT with ROLLBACK.
    QUITT_ASSIGN_OR_RETURN(std::string tag, store_.db_->ExecForTag("COMMIT"));
    if (tag != "COMMIT") {
      return Aborted("the transaction was rolled back because a statement in it failed");
    }
    return OkStatus();
  }

 private:
  PostgresCaseStore& store_;
  bool done_ = false;
};

Result<std::unique_ptr<PostgresCaseStore>> PostgresCaseStore::Open(const std::string& conninfo,
                                                                   app::Clock& clock) {
  QUITT_ASSIGN_OR_RETURN(auto db, Connection::Open(conninfo));
  std::unique_ptr<PostgresCaseStore> store(new PostgresCaseStore(std::move(db), clock));
  QUITT_ASSIGN_OR_RETURN(auto applied, store->Migrate());
  (void)applied;
  return store;
}

Result<std::vector<std::string>> PostgresCaseStore::Migrate() {
  QUITT_CHECK(!in_transaction_);
  auto locked = [&]() -> Status {
    QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN"));
    return db_->Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
  };
  auto fail = [&](const Status& status) {
    (void)db_->Exec("ROLLBACK");
    return status;
  };
  if (Status status = locked(); !status.ok()) return fail(status);
  if (Status status = db_->Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT "
          "NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
      !status.ok()) {
    return fail(status);
  }
  QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));

  std::vector<std::string> applied;
  for (const Migration& migration : EmbeddedMigrations()) {
    const std::string name = migration.name;
    const std::int64_t version = std::stoll(name.substr(0, name.find('_')));
    if (Status status = locked(); !status.ok()) return fail(status);
    auto done =
        db_->Query("SELECT 1 FROM schema_migrations WHERE version = $1", Params().Add(version));
    if (!done.ok()) return fail(done.error());
    if (!done->empty()) {
      QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));
      continue;
    }
    Status status = db_->Exec(migration.sql);
    if (status.ok()) {
      auto record =
          db_->Query("INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)",
                     Params().Add(version).Add(name).Add(clock_.Now().ToString()));
      if (!record.ok()) status = record.error();
    }
    if (!status.ok()) return fail(status.WithContext("migration " + name));
    QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));
    applied.push_back(name);
  }
  return applied;
}

Result<std::unique_ptr<app::Transaction>> PostgresCaseStore::Begin() {
  QUITT_CHECK(!in_transaction_);  // one transaction per connection at a time
  QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  in_transaction_ = true;
  return std::unique_ptr<app::Transaction>(new PostgresTransaction(*this));
}

Result<std::int64_t> PostgresCaseStore::ReserveIds(app::IdKind kind, std::int64_t count) {
  QUITT_CHECK(count > 0);
  QUITT_ASSIGN_OR_RETURN(Rows rows, db_->Query("SELECT quitt_reserve_ids($1::regclass, $2)",
                                               Params().Add(SequenceName(kind)).Add(count)));
  if (rows.empty() || rows.IsNull(0, 0)) {
    return Internal(std::string("id sequence '") + SequenceName(kind) + "' returned nothing");
  }
  return rows.Int(0, 0);
}

Status PostgresCaseStore::ReleaseIds(app::IdKind kind, std::int64_t first_unused,
                                     std::int64_t end) {
  QUITT_CHECK(first_unused <= end);
  if (first_unused == end) return OkStatus();
  auto released = db_->Query("SELECT quitt_release_ids($1::regclass, $2, $3)",
                             Params().Add(SequenceName(kind)).Add(first_unused).Add(end));
  return released.ok() ? OkStatus() : released.error();
}

Status PostgresCaseStore::Write(const app::WriteBatch& batch) {
  QUITT_CHECK(in_transaction_);  // writes only inside Begin()/Commit()
  QUITT_RETURN_IF_ERROR(WriteCustomers(batch.new_customers));
  QUITT_RETURN_IF_ERROR(WriteClaims(batch.new_claims));
  QUITT_RETURN_IF_ERROR(WriteEvents(batch.events));
  QUITT_RETURN_IF_ERROR(WriteCaseSummaries(batch.case_summaries));
  return WriteCollection(batch);
}

// Customers, claims and events are only ever inserted: COPY is the fastest way in. A duplicate key
// fails the whole COPY, and with it the transaction, like a failed INSERT would.
Status PostgresCaseStore::WriteCustomers(const std::vector<domain::Customer>& customers) {
  if (customers.empty()) return OkStatus();
  CopyRows rows;
  rows.Reserve(customers.size() * 256);
  for (const domain::Customer& c : customers) {
    rows.Field(c.client.value()).Field(c.id.value()).Field(c.customer_ref);
    rows.Field(domain::CustomerKindName(c.kind)).Field(c.name);
    rows.FieldOptional(OptionalDateText(c.birth_date));
    rows.Field(c.address.street).Field(c.address.postcode).Field(c.address.city);
    rows.Field(c.address.country);
    rows.Field(nlohmann::json(c.emails).dump()).Field(nlohmann::json(c.phones).dump());
    rows.Field(c.language);
    rows.FieldOptional(c.iban ? std::optional<std::string>(c.iban->electronic()) : std::nullopt);
    rows.EndRow();
  }
  return db_
      ->CopyIn(
          "COPY customers(client_id, customer_id, customer_ref, kind, name, birth_date, "
          "street, postcode, city, country, emails, phones, language, iban) FROM STDIN",
          rows.text())
      .WithContext("customers");
}

Status PostgresCaseStore::WriteClaims(const std::vector<domain::Claim>& claims) {
  if (claims.empty()) return OkStatus();
  CopyRows rows;
  rows.Reserve(claims.size() * 192);
  for (const domain::Claim& c : claims) {
    rows.Field(c.client.value()).Field(c.id.value()).Field(c.client_ref);
    rows.Field(c.case_id.value()).Field(c.reason).Field(c.invoice_date.ToString());
    rows.Field(c.due_date.ToString()).FieldOptional(OptionalDateText(c.default_date));
    rows.Field(domain::DefaultBasisName(c.default_basis));
    rows.FieldOptional(OptionalDateText(c.obligation_date));
    rows.Field(c.principal.minor_units()).Field(c.client_costs.minor_units());
    rows.Field(c.principal.currency().code());
    rows.FieldBool(c.interest.statutory).Field(std::int64_t{c.interest.contractual_rate_bp});
    rows.FieldBool(c.interest.remuneration_claim).FieldBool(c.interest.consumer_credit);
    rows.EndRow();
  }
  return db_
      ->CopyIn(
          "COPY claims(client_id, claim_id, client_ref, case_id, reason, invoice_date, "
          "due_date, default_date, default_basis, obligation_date, principal_minor, "
          "client_costs_minor, currency, interest_statutory, contractual_rate_bp, "
          "remuneration_claim, consumer_credit) FROM STDIN",
          rows.text())
      .WithContext("claims");
}

Status PostgresCaseStore::WriteEvents(const std::vector<domain::StoredCaseEvent>& events) {
  if (events.empty()) return OkStatus();
  CopyRows rows;
  std::size_t bytes = 0;
  for (const auto& stored : events) bytes += stored.payload_json.size() + 224;
  rows.Reserve(bytes);
  for (const auto& stored : events) {
    const domain::CaseEvent& e = stored.event;
    rows.Field(e.client.value()).Field(e.case_id.value()).Field(e.seq);
    rows.Field(stored.type).Field(std::int64_t{stored.schema_version});
    rows.Field(e.effective_date.ToString()).Field(e.recorded_at.ToString());
    rows.Field(e.actor).Field(stored.payload_json);
    rows.FieldBytes(stored.previous_hash).FieldBytes(stored.hash);
    rows.EndRow();
  }
  // A duplicate (client, case, seq) is kAborted: another writer appended to the case first.
  const auto& first = events.front().event;
  return db_
      ->CopyIn(
          "COPY case_events(client_id, case_id, seq, type, schema_version, effective_date, "
          "recorded_at, actor, payload, previous_hash, hash) FROM STDIN",
          rows.text())
      .WithContext(events.size() == 1 ? "event " + std::to_string(first.seq) + " of case " +
                                            std::to_string(first.case_id.value())
                                      : "events");
}

Status PostgresCaseStore::WriteCaseSummaries(const std::vector<CaseSummary>& input) {
  // One statement cannot upsert the same row twice: keep the last summary of each case.
  std::vector<const CaseSummary*> summaries;
  summaries.reserve(input.size());
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (auto it = input.rbegin(); it != input.rend(); ++it) {
    if (seen.emplace(it->client.value(), it->id.value()).second) summaries.push_back(&*it);
  }
  std::reverse(summaries.begin(), summaries.end());
  static const std::string kUpsert =
      "INSERT INTO cases(client_id, case_id, case_number, customer_id, customer_name, "
      "customer_kind, status, currency, principal_minor, claim_count, opened_on, "
      "oldest_due_date, last_seq, last_hash, updated_at) "
      "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], "
      "$6::text[], $7::text[], $8::text[], $9::bigint[], $10::integer[], $11::date[], "
      "$12::date[], $13::bigint[], $14::bytea[], $15::timestamptz[]) "
      "ON CONFLICT (client_id, case_id) DO UPDATE SET case_number = EXCLUDED.case_number, "
      "customer_id = EXCLUDED.customer_id, customer_name = EXCLUDED.customer_name, "
      "customer_kind = EXCLUDED.customer_kind, status = EXCLUDED.status, "
      "currency = EXCLUDED.currency, principal_minor = EXCLUDED.principal_minor, "
      "claim_count = EXCLUDED.claim_count, opened_on = EXCLUDED.opened_on, "
      "oldest_due_date = EXCLUDED.oldest_due_date, last_seq = EXCLUDED.last_seq, "
      "last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at";
  return InSlices(summaries.size(), [&](std::size_t first, std::size_t last) -> Status {
    std::vector<ArrayLiteral> columns(15);
    for (std::size_t i = first; i < last; ++i) {
      const CaseSummary& c = *summaries[i];
      columns[0].Add(c.client.value());
      columns[1].Add(c.id.value());
      columns[2].Add(c.case_number);
      columns[3].Add(c.customer.value());
      columns[4].Add(c.customer_name);
      columns[5].Add(domain::CustomerKindName(c.customer_kind));
      columns[6].Add(domain::CaseStatusName(c.status));
      columns[7].Add(c.principal.currency().code());
      columns[8].Add(c.principal.minor_units());
      columns[9].Add(std::int64_t{c.claim_count});
      columns[10].Add(c.opened_on.ToString());
      columns[11].AddOptional(OptionalDateText(c.oldest_due_date));
      columns[12].Add(c.last_seq);
      columns[13].AddBytes(c.last_hash);
      columns[14].Add(c.updated_at.ToString());
    }
    Params params;
    for (auto& column : columns) params.Add(column.Finish());
    auto done = db_->Query(kUpsert, params);
    return done.ok() ? OkStatus() : done.error().WithContext("case summaries");
  });
}

Result<domain::Client> PostgresCaseStore::AddClient(const domain::Client& input) {
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
  auto inserted = db_->Query(
      "INSERT INTO clients(code, name, country, created_at) VALUES ($1, $2, $3, $4) "
      "RETURNING client_id",
      Params().Add(input.code).Add(input.name).Add(input.country).Add(clock_.Now().ToString()));
  if (!inserted.ok()) {
    // Another process added the same code between our check and the insert.
    if (inserted.error().code() == StatusCode::kAborted) {
      return AlreadyExists("client '" + input.code + "' exists already");
    }
    return inserted.error();
  }
  if (inserted->empty()) return Internal("insert of client returned no id");
  domain::Client client = input;
  client.id = app::ClientId(inserted->Int(0, 0));
  return client;
}

Result<std::optional<domain::Client>> PostgresCaseStore::FindClientByCode(const std::string& code) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows, db_->Query("SELECT client_id, code, name, country FROM clients WHERE code = $1",
                            Params().Add(code)));
  if (rows.empty()) return std::optional<domain::Client>();
  return std::optional<domain::Client>(ReadClientRow(rows, 0));
}

Result<std::optional<domain::Client>> PostgresCaseStore::FindClient(app::ClientId id) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_->Query("SELECT client_id, code, name, country FROM clients WHERE client_id = $1",
                 Params().Add(id.value())));
  if (rows.empty()) return std::optional<domain::Client>();
  return std::optional<domain::Client>(ReadClientRow(rows, 0));
}

Result<std::vector<domain::Client>> PostgresCaseStore::ListClients() {
  // COLLATE "C": the same byte order as SQLite's, whatever the database's locale.
  QUITT_ASSIGN_OR_RETURN(
      Rows rows,
      db_->Query("SELECT client_id, code, name, country FROM clients ORDER BY code COLLATE \"C\""));
  std::vector<domain::Client> clients;
  for (int r = 0; r < rows.size(); ++r) clients.push_back(ReadClientRow(rows, r));
  return clients;
}

Result<std::optional<domain::Customer>> PostgresCaseStore::FindCustomer(app::ClientId client,
                                                                        app::CustomerId id) {
  static const std::string kQuery =
      "SELECT customer_ref, kind, name, " + DaysColumn("birth_date") +
      ", street, postcode, city, country, emails::text, phones::text, language, iban "
      "FROM customers WHERE client_id = $1 AND customer_id = $2";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params().Add(client.value()).Add(id.value())));
  if (q.empty()) return std::optional<domain::Customer>();
  domain::Customer c;
  c.id = id;
  c.client = client;
  c.customer_ref = q.String(0, 0);
  c.kind = domain::ParseCustomerKind(q.Text(0, 1)).value_or(domain::CustomerKind::kConsumer);
  c.name = q.String(0, 2);
  c.birth_date = OptionalDateFromDays(q, 0, 3);
  c.address = {q.String(0, 4), q.String(0, 5), q.String(0, 6), q.String(0, 7)};
  auto emails = nlohmann::json::parse(q.Text(0, 8), nullptr, false);
  auto phones = nlohmann::json::parse(q.Text(0, 9), nullptr, false);
  if (!emails.is_array() || !phones.is_array()) {
    return DataLoss("stored customer contacts are not lists");
  }
  for (const auto& e : emails) {
    if (!e.is_string()) return DataLoss("stored customer e-mail is not text");
    c.emails.push_back(e.get<std::string>());
  }
  for (const auto& p : phones) {
    if (!p.is_string()) return DataLoss("stored customer phone is not text");
    c.phones.push_back(p.get<std::string>());
  }
  c.language = q.String(0, 10);
  if (auto iban = q.OptionalString(0, 11)) {
    auto parsed = domain::Iban::Parse(*iban);
    if (!parsed) return DataLoss("stored customer IBAN: " + parsed.error().message());
    c.iban = *parsed;
  }
  return std::optional<domain::Customer>(c);
}

Result<std::vector<CaseSummary>> PostgresCaseStore::QueryCases(const std::string& where_sql,
                                                               const Params& params) {
  QUITT_ASSIGN_OR_RETURN(
      Rows rows, db_->Query("SELECT " + CaseColumns() + " FROM cases " + where_sql, params));
  std::vector<CaseSummary> cases;
  cases.reserve(rows.size());
  for (int r = 0; r < rows.size(); ++r) {
    QUITT_ASSIGN_OR_RETURN(auto summary, ReadCaseRow(rows, r));
    cases.push_back(std::move(summary));
  }
  return cases;
}

Result<std::optional<CaseSummary>> PostgresCaseStore::FindCaseByNumber(const std::string& number) {
  QUITT_ASSIGN_OR_RETURN(auto cases, QueryCases("WHERE case_number = $1", Params().Add(number)));
  if (cases.empty()) return std::optional<CaseSummary>();
  return std::optional<CaseSummary>(cases.front());
}

Result<std::optional<CaseSummary>> PostgresCaseStore::FindCase(app::ClientId client,
                                                               app::CaseId id) {
  QUITT_ASSIGN_OR_RETURN(auto cases, QueryCases("WHERE client_id = $1 AND case_id = $2",
                                                Params().Add(client.value()).Add(id.value())));
  if (cases.empty()) return std::optional<CaseSummary>();
  return std::optional<CaseSummary>(cases.front());
}

Result<std::vector<CaseSummary>> PostgresCaseStore::ListCases(const app::CaseFilter& f) {
  // Only the filters in use become conditions, numbered as they come, so each combination is
  // one prepared statement and every parameter has a type the server can infer.
  std::string where = "WHERE true";
  Params params;
  auto condition = [&](const std::string& sql_before, const std::string& sql_after = "") {
    where += " AND " + sql_before + "$" + std::to_string(params.size()) + sql_after;
  };
  if (f.client) {
    params.Add(f.client->value());
    condition("client_id = ");
  }
  if (f.status) {
    params.Add(domain::CaseStatusName(*f.status));
    condition("status = ");
  }
  if (f.customer_kind) {
    params.Add(domain::CustomerKindName(*f.customer_kind));
    condition("customer_kind = ");
  }
  if (f.min_principal_minor) {
    params.Add(*f.min_principal_minor);
    condition("principal_minor >= ");
  }
  if (f.max_principal_minor) {
    params.Add(*f.max_principal_minor);
    condition("principal_minor <= ");
  }
  if (f.opened_from) {
    params.Add(f.opened_from->ToString());
    condition("opened_on >= ", "::date");
  }
  if (f.opened_to) {
    params.Add(f.opened_to->ToString());
    condition("opened_on <= ", "::date");
  }
  if (!f.customer_name_contains.empty()) {
    params.Add(f.customer_name_contains);
    condition("strpos(lower(customer_name), lower(", "::text)) > 0");
  }
  if (f.after) {
    params.Add(f.after->value());
    condition("case_id > ");
  }
  params.Add(std::int64_t{f.limit});
  where += " ORDER BY case_id LIMIT $" + std::to_string(params.size());
  return QueryCases(where, params);
}

Result<std::vector<domain::StoredCaseEvent>> PostgresCaseStore::LoadHistory(app::ClientId client,
                                                                            app::CaseId id) {
  static const std::string kQuery = "SELECT seq, type, schema_version, " +
                                    DaysColumn("effective_date") + ", " +
                                    MicrosColumn("recorded_at") +
                                    ", actor, payload, previous_hash, hash FROM case_events "
                                    "WHERE client_id = $1 AND case_id = $2 ORDER BY seq";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params().Add(client.value()).Add(id.value())));
  std::vector<domain::StoredCaseEvent> history;
  history.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    domain::StoredCaseEvent stored;
    stored.event.client = client;
    stored.event.case_id = id;
    stored.event.seq = q.Int(r, 0);
    stored.type = q.String(r, 1);
    stored.schema_version = static_cast<int>(q.Int(r, 2));
    stored.event.effective_date = DateFromDays(q, r, 3);
    stored.event.recorded_at = domain::Timestamp::FromUnixMicros(q.Int(r, 4));
    stored.event.actor = q.String(r, 5);
    stored.payload_json = q.String(r, 6);
    if (!q.Digest(r, 7, stored.previous_hash) || !q.Digest(r, 8, stored.hash)) {
      return DataLoss("event " + std::to_string(stored.event.seq) + " has a malformed hash");
    }
    history.push_back(std::move(stored));
  }
  return history;
}

Status PostgresCaseStore::ForEachCase(std::optional<app::ClientId> client,
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

Result<app::ImportIndex> PostgresCaseStore::LoadImportIndex(app::ClientId client) {
  app::ImportIndex index;
  {
    QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query("SELECT client_ref, claim_id, case_id, "
                                              "principal_minor, currency FROM claims WHERE "
                                              "client_id = $1",
                                              Params().Add(client.value())));
    index.claims_by_ref.reserve(q.size());
    for (int r = 0; r < q.size(); ++r) {
      index.claims_by_ref.emplace(
          q.String(r, 0),
          app::ImportIndex::KnownClaim{app::ClaimId(q.Int(r, 1)), app::CaseId(q.Int(r, 2)),
                                       q.Int(r, 3), q.String(r, 4)});
    }
  }
  {
    QUITT_ASSIGN_OR_RETURN(
        Rows q, db_->Query("SELECT customer_ref, customer_id FROM customers WHERE client_id = $1",
                           Params().Add(client.value())));
    index.customers_by_ref.reserve(q.size());
    for (int r = 0; r < q.size(); ++r) {
      index.customers_by_ref.emplace(q.String(r, 0), app::CustomerId(q.Int(r, 1)));
    }
  }
  QUITT_ASSIGN_OR_RETURN(auto cases, QueryCases("WHERE client_id = $1 ORDER BY case_id",
                                                Params().Add(client.value())));
  for (auto& summary : cases) {
    index.case_count_by_customer[summary.customer.value()] += 1;
    if (summary.status == domain::CaseStatus::kOpen) {
      index.open_cases.push_back(std::move(summary));
    }
  }
  return index;
}

namespace {
// A PostgreSQL text[] literal: {"a","b"} with quotes and backslashes escaped.
std::string TextArray(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const auto& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}
}  // namespace

Result<app::ImportIndex> PostgresCaseStore::LoadImportIndexFor(
    app::ClientId client, const std::vector<std::string>& claim_refs,
    const std::vector<std::string>& customer_refs) {
  app::ImportIndex index;
  if (!claim_refs.empty()) {
    QUITT_ASSIGN_OR_RETURN(
        Rows q, db_->Query("SELECT client_ref, claim_id, case_id, principal_minor, currency FROM "
                           "claims WHERE client_id = $1 AND client_ref = ANY($2::text[])",
                           Params().Add(client.value()).Add(TextArray(claim_refs))));
    for (int r = 0; r < q.size(); ++r) {
      index.claims_by_ref.emplace(
          q.String(r, 0),
          app::ImportIndex::KnownClaim{app::ClaimId(q.Int(r, 1)), app::CaseId(q.Int(r, 2)),
                                       q.Int(r, 3), q.String(r, 4)});
    }
  }
  if (!customer_refs.empty()) {
    QUITT_ASSIGN_OR_RETURN(
        Rows q, db_->Query("SELECT customer_ref, customer_id FROM customers WHERE client_id = $1 "
                           "AND customer_ref = ANY($2::text[])",
                           Params().Add(client.value()).Add(TextArray(customer_refs))));
    // The open cases of the customers just found, by their ids (no second look-up by reference).
    std::string customer_ids = "{";
    for (int r = 0; r < q.size(); ++r) {
      index.customers_by_ref.emplace(q.String(r, 0), app::CustomerId(q.Int(r, 1)));
      customer_ids += (r == 0 ? "" : ",") + std::to_string(q.Int(r, 1));
    }
    if (q.size() > 0) {
      QUITT_ASSIGN_OR_RETURN(index.open_cases,
                             QueryCases("WHERE client_id = $1 AND status = 'open' AND customer_id "
                                        "= ANY($2::bigint[]) ORDER BY case_id",
                                        Params().Add(client.value()).Add(customer_ids + "}")));
    }
  }
  return index;
}

Result<std::int64_t> PostgresCaseStore::CountClaims(app::ClientId client, std::int64_t up_to) {
  QUITT_ASSIGN_OR_RETURN(
      Rows q,
      db_->Query("SELECT count(*) FROM (SELECT 1 FROM claims WHERE client_id = $1 LIMIT $2) "
                 "AS counted",
                 Params().Add(client.value()).Add(up_to)));
  return q.Int(0, 0);
}

}  // namespace quitt::adapters::postgres
