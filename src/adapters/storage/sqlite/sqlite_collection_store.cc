// The daily-run part of the SQLite store (issue 4): the collection read model, the outbox and the
// run partitions of migration 0002_daily_run.sql.
#include <nlohmann/json.hpp>

#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "common/check.h"

namespace quitt::adapters::sqlite {

using app::CollectionRow;
using domain::Date;

namespace {

constexpr const char* kRowColumns =
    "s.client_id, s.case_id, s.open, s.strategy_id, s.strategy_version, s.customer_kind, "
    "s.country, s.currency, s.balance_minor, s.overdue_since, s.handed_over, s.repeat_customer, "
    "s.channels, s.disputed, s.hardship, s.variant, s.current_step, s.current_step_on, "
    "s.resume_step, s.resume_due, s.arrangement, s.arrangement_due, s.arrangement_paid, "
    "s.arrangement_ends_on, s.synced_seq, s.next_check_on";
constexpr int kRowColumnCount = 26;

Date Day(std::int64_t days) { return Date::FromDaysSinceEpoch(static_cast<std::int32_t>(days)); }

Result<CollectionRow> ReadRow(Statement& q, int first) {
  CollectionRow row;
  int i = first;
  row.client = app::ClientId(q.Int(i++));
  row.id = app::CaseId(q.Int(i++));
  row.open = q.Int(i++) != 0;
  row.strategy_id = q.Text(i++);
  row.strategy_version = static_cast<std::int32_t>(q.Int(i++));
  workflow::CaseFacts& f = row.facts;
  f.case_id = row.id.value();
  f.customer_kind =
      q.Int(i++) == 1 ? domain::CustomerKind::kBusiness : domain::CustomerKind::kConsumer;
  f.country = static_cast<workflow::CountryCode>(q.Int(i++));
  const std::string currency_code = q.Text(i++);
  auto currency = domain::Currency::FromCode(currency_code);
  if (!currency) return DataLoss("collection_state: stored currency " + currency_code);
  f.balance = domain::Money::FromMinorUnits(q.Int(i++), *currency);
  f.overdue_since = Day(q.Int(i++));
  f.handed_over = Day(q.Int(i++));
  f.repeat_customer = q.Int(i++) != 0;
  f.channels = static_cast<workflow::ChannelSet>(q.Int(i++));
  f.disputed = q.Int(i++) != 0;
  f.hardship = q.Int(i++) != 0;
  f.variant = static_cast<std::int16_t>(q.Int(i++));
  f.current_step = static_cast<std::int16_t>(q.Int(i++));
  f.current_step_on = Day(q.Int(i++));
  f.resume.step = static_cast<std::int16_t>(q.Int(i++));
  f.resume.due = Day(q.Int(i++));
  f.arrangement.kind = static_cast<workflow::ArrangementKind>(q.Int(i++));
  f.arrangement.next_unpaid_due = Day(q.Int(i++));
  f.arrangement.fully_paid = q.Int(i++) != 0;
  f.arrangement.ends_on = Day(q.Int(i++));
  row.synced_seq = q.Int(i++);
  row.next_check_on = Day(q.Int(i++));
  return row;
}

void BindRow(Statement& q, const CollectionRow& row) {
  const workflow::CaseFacts& f = row.facts;
  const std::int64_t values[] = {row.client.value(),
                                 row.id.value(),
                                 row.open,
                                 0,  // strategy_id, text: bound below
                                 row.strategy_version,
                                 f.customer_kind == domain::CustomerKind::kBusiness,
                                 f.country,
                                 0,  // currency, text: bound below
                                 f.balance.minor_units(),
                                 f.overdue_since.days_since_epoch(),
                                 f.handed_over.days_since_epoch(),
                                 f.repeat_customer,
                                 f.channels,
                                 f.disputed,
                                 f.hardship,
                                 f.variant,
                                 f.current_step,
                                 f.current_step_on.days_since_epoch(),
                                 f.resume.step,
                                 f.resume.due.days_since_epoch(),
                                 static_cast<std::int64_t>(f.arrangement.kind),
                                 f.arrangement.next_unpaid_due.days_since_epoch(),
                                 f.arrangement.fully_paid,
                                 f.arrangement.ends_on.days_since_epoch(),
                                 row.synced_seq,
                                 row.next_check_on.days_since_epoch()};
  static_assert(sizeof(values) / sizeof(values[0]) == kRowColumnCount);
  for (int i = 0; i < kRowColumnCount; ++i) q.Bind(i + 1, values[i]);
  q.Bind(4, row.strategy_id);
  q.Bind(8, f.balance.currency().code());
}

Result<domain::Timestamp> ReadTimestamp(const std::string& text) {
  if (text.empty()) return domain::Timestamp::FromUnixMicros(0);
  auto parsed = domain::Timestamp::Parse(text);
  if (!parsed) return DataLoss("stored instant: " + parsed.error().message());
  return *parsed;
}

constexpr const char* kPartitionColumns =
    "client_id, as_of, partition_no, partitions, status, worker, lease_until, after_case, "
    "cases_seen, actions";

Result<app::RunPartition> ReadPartition(Statement& q) {
  app::RunPartition p;
  p.client = app::ClientId(q.Int(0));
  auto as_of = Date::Parse(q.Text(1));
  if (!as_of) return DataLoss("run_partitions: stored as_of " + q.Text(1));
  p.as_of = *as_of;
  p.partition = static_cast<int>(q.Int(2));
  p.partitions = static_cast<int>(q.Int(3));
  p.status = q.Text(4);
  p.worker = q.Text(5);
  QUITT_ASSIGN_OR_RETURN(p.lease_until, ReadTimestamp(q.Text(6)));
  p.after_case = app::CaseId(q.Int(7));
  p.cases_seen = q.Int(8);
  p.actions = q.Int(9);
  return p;
}

std::vector<std::string> JsonList(const std::string& text) {
  std::vector<std::string> out;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Status SqliteCaseStore::WriteCollection(const app::WriteBatch& batch) {
  // An upsert overwrites the row in place; INSERT OR REPLACE deleted and re-inserted it.
  static constexpr const char* kUpsertRow =
      "INSERT INTO collection_state(client_id, case_id, open, strategy_id, "
      "strategy_version, customer_kind, country, currency, balance_minor, overdue_since, "
      "handed_over, repeat_customer, channels, disputed, hardship, variant, current_step, "
      "current_step_on, resume_step, resume_due, arrangement, arrangement_due, arrangement_paid, "
      "arrangement_ends_on, synced_seq, next_check_on) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (client_id, case_id) DO UPDATE SET "
      "open = excluded.open, strategy_id = excluded.strategy_id, "
      "strategy_version = excluded.strategy_version, customer_kind = excluded.customer_kind, "
      "country = excluded.country, currency = excluded.currency, "
      "balance_minor = excluded.balance_minor, overdue_since = excluded.overdue_since, "
      "handed_over = excluded.handed_over, repeat_customer = excluded.repeat_customer, "
      "channels = excluded.channels, disputed = excluded.disputed, "
      "hardship = excluded.hardship, variant = excluded.variant, "
      "current_step = excluded.current_step, current_step_on = excluded.current_step_on, "
      "resume_step = excluded.resume_step, resume_due = excluded.resume_due, "
      "arrangement = excluded.arrangement, arrangement_due = excluded.arrangement_due, "
      "arrangement_paid = excluded.arrangement_paid, "
      "arrangement_ends_on = excluded.arrangement_ends_on, synced_seq = excluded.synced_seq, "
      "next_check_on = excluded.next_check_on";
  static constexpr const char* kUpdateHead =
      "UPDATE cases SET last_seq = ?, last_hash = ?, updated_at = ?, "
      "status = CASE WHEN ? THEN 'closed' ELSE status END WHERE client_id = ? AND case_id = ?";
  static constexpr const char* kUpdateCheck =
      "UPDATE collection_state SET next_check_on = ? WHERE client_id = ? AND case_id = ?";
  static constexpr const char* kInsertOutbox =
      "INSERT OR IGNORE INTO outbox(client_id, message_key, case_id, case_number, channel, "
      "template, due_date, run_date, event_seq, status, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  if (!batch.case_heads.empty()) {
    QUITT_ASSIGN_OR_RETURN(Statement * update, db_->Cached(kUpdateHead));
    for (const auto& h : batch.case_heads) {
      update->Bind(1, h.last_seq).BindBlob(2, h.last_hash.data(), 32);
      update->Bind(3, h.updated_at.ToString()).Bind(4, std::int64_t{h.closed});
      update->Bind(5, h.client.value()).Bind(6, h.id.value());
      QUITT_RETURN_IF_ERROR(update->Run().WithContext("case " + std::to_string(h.id.value())));
      if (sqlite3_changes(db_->raw()) != 1) {
        return Aborted("case " + std::to_string(h.id.value()) + " does not exist");
      }
    }
  }
  if (!batch.collection_rows.empty()) {
    QUITT_ASSIGN_OR_RETURN(Statement * upsert, db_->Cached(kUpsertRow));
    for (const auto& row : batch.collection_rows) {
      BindRow(*upsert, row);
      QUITT_RETURN_IF_ERROR(
          upsert->Run().WithContext("collection row of case " + std::to_string(row.id.value())));
    }
  }
  if (!batch.next_checks.empty()) {
    QUITT_ASSIGN_OR_RETURN(Statement * update, db_->Cached(kUpdateCheck));
    for (const auto& c : batch.next_checks) {
      update->Bind(1, std::int64_t{c.next_check_on.days_since_epoch()});
      update->Bind(2, c.client.value()).Bind(3, c.id.value());
      QUITT_RETURN_IF_ERROR(update->Run());
    }
  }
  if (!batch.outbox.empty()) {
    QUITT_ASSIGN_OR_RETURN(Statement * insert, db_->Cached(kInsertOutbox));
    for (const auto& m : batch.outbox) {
      insert->Bind(1, m.client.value()).Bind(2, m.message_key).Bind(3, m.case_id.value());
      insert->Bind(4, m.case_number).Bind(5, m.channel).Bind(6, m.template_name);
      insert->Bind(7, m.due.ToString()).Bind(8, m.run_date.ToString()).Bind(9, m.event_seq);
      insert->Bind(10, m.status).Bind(11, m.created_at.ToString());
      QUITT_RETURN_IF_ERROR(insert->Run().WithContext("outbox " + m.message_key));
    }
  }
  return OkStatus();
}

Result<std::vector<app::CollectionCandidate>> SqliteCaseStore::ListCollectionCandidates(
    app::ClientId after_client, app::CaseId after_case, int limit) {
  // Missing rows of open cases and rows behind their history; the customer's contacts decide
  // the channels and an earlier case of the same customer makes a repeat customer.
  static constexpr const char* kQuery =
      "SELECT c.client_id, c.case_id, c.case_number, c.customer_id, c.customer_name, "
      "c.customer_kind, c.status, c.currency, c.principal_minor, c.claim_count, c.opened_on, "
      "c.oldest_due_date, c.last_seq, c.last_hash, c.updated_at, "
      "cu.street, cu.postcode, cu.city, cu.country, cu.emails, cu.phones, cu.kind, "
      "EXISTS (SELECT 1 FROM cases e WHERE e.client_id = c.client_id AND "
      "e.customer_id = c.customer_id AND e.case_id < c.case_id), s.case_id IS NOT NULL "
      "FROM cases c JOIN customers cu ON cu.client_id = c.client_id AND "
      "cu.customer_id = c.customer_id "
      "LEFT JOIN collection_state s ON s.client_id = c.client_id AND s.case_id = c.case_id "
      "WHERE (c.client_id, c.case_id) > (?, ?) AND "
      "((s.case_id IS NULL AND c.status = 'open') OR s.synced_seq != c.last_seq) "
      "ORDER BY c.client_id, c.case_id LIMIT ?";
  QUITT_ASSIGN_OR_RETURN(Statement * q, db_->Cached(kQuery));
  q->Bind(1, after_client.value()).Bind(2, after_case.value()).Bind(3, std::int64_t{limit});
  std::vector<app::CollectionCandidate> out;
  while (true) {
    auto row = q->Step();
    if (!row) return row.error();
    if (!*row) break;
    app::CollectionCandidate c;
    c.summary.client = app::ClientId(q->Int(0));
    c.summary.id = app::CaseId(q->Int(1));
    c.summary.case_number = q->Text(2);
    c.summary.customer = app::CustomerId(q->Int(3));
    c.summary.customer_name = q->Text(4);
    c.summary.customer_kind =
        domain::ParseCustomerKind(q->Text(5)).value_or(domain::CustomerKind::kConsumer);
    c.summary.status =
        q->Text(6) == "closed" ? domain::CaseStatus::kClosed : domain::CaseStatus::kOpen;
    auto currency = domain::Currency::FromCode(q->Text(7));
    if (!currency) {
      q->Reset();
      return DataLoss("stored currency of case " + c.summary.case_number);
    }
    c.summary.principal = domain::Money::FromMinorUnits(q->Int(8), *currency);
    c.summary.claim_count = static_cast<int>(q->Int(9));
    auto opened = Date::Parse(q->Text(10));
    auto oldest = q->OptionalText(11);
    if (!opened) {
      q->Reset();
      return DataLoss("stored opened_on of case " + c.summary.case_number);
    }
    c.summary.opened_on = *opened;
    if (oldest) {
      auto parsed = Date::Parse(*oldest);
      if (parsed) c.summary.oldest_due_date = *parsed;
    }
    c.summary.last_seq = q->Int(12);
    std::string_view hash = q->Blob(13);
    if (hash.size() == 32) std::copy(hash.begin(), hash.end(), c.summary.last_hash.begin());
    c.customer.id = c.summary.customer;
    c.customer.client = c.summary.client;
    c.customer.address = {q->Text(15), q->Text(16), q->Text(17), q->Text(18)};
    c.customer.emails = JsonList(q->Text(19));
    c.customer.phones = JsonList(q->Text(20));
    c.customer.kind =
        domain::ParseCustomerKind(q->Text(21)).value_or(domain::CustomerKind::kConsumer);
    c.customer.name = c.summary.customer_name;
    c.repeat_customer = q->Int(22) != 0;
    c.has_row = q->Int(23) != 0;
    out.push_back(std::move(c));
  }
  q->Reset();
  return out;
}

Result<std::optional<CollectionRow>> SqliteCaseStore::FindCollectionRow(app::ClientId client,
                                                                        app::CaseId id) {
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(std::string("SELECT ") + kRowColumns +
                                              " FROM collection_state s WHERE s.client_id = ? "
                                              "AND s.case_id = ?"));
  q->Bind(1, client.value()).Bind(2, id.value());
  QUITT_ASSIGN_OR_RETURN(bool found, q->Step());
  if (!found) return std::optional<CollectionRow>();
  QUITT_ASSIGN_OR_RETURN(auto row, ReadRow(*q, 0));
  return std::optional<CollectionRow>(std::move(row));
}

Result<bool> SqliteCaseStore::IsRepeatCustomer(app::ClientId client, app::CustomerId customer,
                                               app::CaseId id) {
  QUITT_ASSIGN_OR_RETURN(auto q,
                         db_->Prepare("SELECT EXISTS (SELECT 1 FROM cases WHERE "
                                      "client_id = ? AND customer_id = ? AND case_id < ?)"));
  q->Bind(1, client.value()).Bind(2, customer.value()).Bind(3, id.value());
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  QUITT_CHECK(row);
  return q->Int(0) != 0;
}

Result<std::vector<app::DueCase>> SqliteCaseStore::LoadDueCases(app::ClientId client, Date as_of,
                                                                int partitions, int partition,
                                                                app::CaseId after, int limit) {
  static const std::string kQuery =
      std::string("SELECT ") + kRowColumns +
      ", c.case_number, c.last_seq, c.last_hash FROM collection_state s JOIN cases c ON "
      "c.client_id = s.client_id AND c.case_id = s.case_id WHERE s.client_id = ? AND "
      "s.case_id > ? AND s.open = 1 AND s.next_check_on <= ? AND (s.case_id / 1024) % ? = ? "
      "ORDER BY s.case_id LIMIT ?";
  QUITT_ASSIGN_OR_RETURN(Statement * q, db_->Cached(kQuery.c_str()));
  q->Bind(1, client.value()).Bind(2, after.value());
  q->Bind(3, std::int64_t{as_of.days_since_epoch()});
  q->Bind(4, std::int64_t{partitions}).Bind(5, std::int64_t{partition});
  q->Bind(6, std::int64_t{limit});
  std::vector<app::DueCase> out;
  out.reserve(static_cast<std::size_t>(limit));
  while (true) {
    auto row = q->Step();
    if (!row) return row.error();
    if (!*row) break;
    app::DueCase due;
    auto read = ReadRow(*q, 0);
    if (!read) {
      q->Reset();
      return read.error();
    }
    due.row = std::move(*read);
    due.case_number = q->Text(kRowColumnCount);
    due.last_seq = q->Int(kRowColumnCount + 1);
    std::string_view hash = q->Blob(kRowColumnCount + 2);
    if (hash.size() != 32) {
      q->Reset();
      return DataLoss("case " + due.case_number + ": stored last_hash has the wrong size");
    }
    std::copy(hash.begin(), hash.end(), due.last_hash.begin());
    out.push_back(std::move(due));
  }
  q->Reset();
  return out;
}

Result<int> SqliteCaseStore::PlanRun(Date as_of, int partitions) {
  QUITT_CHECK(partitions >= 1);
  QUITT_CHECK(!in_transaction_);
  QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto plan = [&]() -> Result<int> {
    QUITT_ASSIGN_OR_RETURN(auto existing, db_->Prepare("SELECT partitions FROM run_partitions "
                                                       "WHERE as_of = ? LIMIT 1"));
    existing->Bind(1, as_of.ToString());
    QUITT_ASSIGN_OR_RETURN(bool found, existing->Step());
    if (found) return static_cast<int>(existing->Int(0));
    QUITT_ASSIGN_OR_RETURN(auto clients, db_->Prepare("SELECT DISTINCT client_id FROM "
                                                      "collection_state WHERE open = 1"));
    std::vector<std::int64_t> ids;
    while (true) {
      QUITT_ASSIGN_OR_RETURN(bool row, clients->Step());
      if (!row) break;
      ids.push_back(clients->Int(0));
    }
    QUITT_ASSIGN_OR_RETURN(auto insert,
                           db_->Prepare("INSERT INTO run_partitions(client_id, as_of, "
                                        "partition_no, partitions, status) VALUES (?,?,?,?,"
                                        "'pending')"));
    for (std::int64_t client : ids) {
      for (int p = 0; p < partitions; ++p) {
        insert->Bind(1, client).Bind(2, as_of.ToString()).Bind(3, std::int64_t{p});
        insert->Bind(4, std::int64_t{partitions});
        QUITT_RETURN_IF_ERROR(insert->Run());
      }
    }
    return partitions;
  };
  auto result = plan();
  if (!result) {
    (void)db_->Exec("ROLLBACK");
    return result.error();
  }
  QUITT_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return result;
}

Result<std::optional<app::RunPartition>> SqliteCaseStore::ClaimRunPartition(
    Date as_of, const std::string& worker, domain::Timestamp now, domain::Timestamp lease_until,
    bool take_over) {
  QUITT_CHECK(!in_transaction_);
  // One statement, so the claim is atomic; a pending partition first, then one whose worker's
  // lease ran out (instants as fixed-width UTC text compare in time order).
  QUITT_ASSIGN_OR_RETURN(
      auto q, db_->Prepare(std::string("UPDATE run_partitions SET status = 'running', worker = ?, "
                                       "lease_until = ?, started_at = CASE WHEN started_at = '' "
                                       "THEN ? ELSE started_at END WHERE (client_id, as_of, "
                                       "partition_no) = (SELECT client_id, as_of, partition_no "
                                       "FROM run_partitions WHERE as_of = ? AND (status = "
                                       "'pending' OR (status = 'running' AND (? OR lease_until < "
                                       "?))) ORDER BY status = 'running', client_id, partition_no "
                                       "LIMIT 1) RETURNING ") +
                           kPartitionColumns));
  q->Bind(1, worker).Bind(2, lease_until.ToString()).Bind(3, now.ToString());
  q->Bind(4, as_of.ToString()).Bind(5, std::int64_t{take_over}).Bind(6, now.ToString());
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<app::RunPartition>();
  auto partition = ReadPartition(*q);
  QUITT_RETURN_IF_ERROR(q->Run());  // finish the statement
  if (!partition) return partition.error();
  return std::optional<app::RunPartition>(std::move(*partition));
}

Status SqliteCaseStore::SaveRunPartition(const app::RunPartition& p) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * q,
      db_->Cached("UPDATE run_partitions SET status = ?, worker = ?, lease_until = ?, "
                  "after_case = ?, cases_seen = ?, actions = ?, finished_at = CASE WHEN ? = "
                  "'done' THEN ? ELSE finished_at END WHERE client_id = ? AND as_of = ? AND "
                  "partition_no = ?"));
  q->Bind(1, p.status).Bind(2, p.worker).Bind(3, p.lease_until.ToString());
  q->Bind(4, p.after_case.value()).Bind(5, p.cases_seen).Bind(6, p.actions);
  q->Bind(7, p.status).Bind(8, clock_.Now().ToString());
  q->Bind(9, p.client.value()).Bind(10, p.as_of.ToString()).Bind(11, std::int64_t{p.partition});
  return q->Run();
}

Result<std::vector<app::RunPartition>> SqliteCaseStore::ListRunPartitions(Date as_of) {
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(std::string("SELECT ") + kPartitionColumns +
                                              " FROM run_partitions WHERE as_of = ? ORDER BY "
                                              "client_id, partition_no"));
  q->Bind(1, as_of.ToString());
  std::vector<app::RunPartition> out;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    QUITT_ASSIGN_OR_RETURN(auto p, ReadPartition(*q));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<app::OutboxMessage>> SqliteCaseStore::ListOutbox(
    std::optional<app::ClientId> client, std::optional<app::CaseId> case_id,
    const std::string& after_key, int limit) {
  std::string sql =
      "SELECT client_id, message_key, case_id, case_number, channel, template, due_date, "
      "run_date, event_seq, status, created_at FROM outbox WHERE message_key > ?1";
  if (client) sql += " AND client_id = ?2";
  if (case_id) sql += " AND case_id = ?3";
  sql += " ORDER BY client_id, message_key LIMIT ?4";
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(sql));
  q->Bind(1, after_key);
  if (client) q->Bind(2, client->value());
  if (case_id) q->Bind(3, case_id->value());
  q->Bind(4, std::int64_t{limit});
  std::vector<app::OutboxMessage> out;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    app::OutboxMessage m;
    m.client = app::ClientId(q->Int(0));
    m.message_key = q->Text(1);
    m.case_id = app::CaseId(q->Int(2));
    m.case_number = q->Text(3);
    m.channel = q->Text(4);
    m.template_name = q->Text(5);
    auto due = Date::Parse(q->Text(6));
    auto run = Date::Parse(q->Text(7));
    if (!due || !run) return DataLoss("outbox " + m.message_key + ": unreadable date");
    m.due = *due;
    m.run_date = *run;
    m.event_seq = q->Int(8);
    m.status = q->Text(9);
    QUITT_ASSIGN_OR_RETURN(m.created_at, ReadTimestamp(q->Text(10)));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace quitt::adapters::sqlite
