// The daily-run part of the PostgreSQL store (issue 4): the collection read model, the outbox and
// the run partitions of migrations/0002_daily_run.sql. Same behaviour as
// ../sqlite/sqlite_collection_store.cc; the differences are PostgreSQL's: bulk writes through
// unnest, and partitions claimed with FOR UPDATE SKIP LOCKED so any number of processes can run.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "adapters/storage/postgres/pg_store_support.h"
#include "adapters/storage/postgres/postgres_case_store.h"
#include "common/check.h"

namespace quitt::adapters::postgres {

using app::CollectionRow;
using domain::Date;

namespace {

// Key of the advisory lock that serialises planners of one run date (the date is the second key).
constexpr std::int32_t kRunPlanLockKey = 0x71727570;  // "qrup"

// collection_state's columns in the order of CaseFacts, with the array type each is sent as.
struct Column {
  const char* name;
  const char* array_type;
};
constexpr Column kRowColumns[] = {
    {"client_id", "bigint[]"},    {"case_id", "bigint[]"},       {"open", "boolean[]"},
    {"strategy_id", "text[]"},    {"strategy_version", "int[]"}, {"customer_kind", "int[]"},
    {"country", "int[]"},         {"currency", "text[]"},        {"balance_minor", "bigint[]"},
    {"overdue_since", "int[]"},   {"handed_over", "int[]"},      {"repeat_customer", "int[]"},
    {"channels", "int[]"},        {"disputed", "int[]"},         {"hardship", "int[]"},
    {"variant", "int[]"},         {"current_step", "int[]"},     {"current_step_on", "int[]"},
    {"resume_step", "int[]"},     {"resume_due", "int[]"},       {"arrangement", "int[]"},
    {"arrangement_due", "int[]"}, {"arrangement_paid", "int[]"}, {"arrangement_ends_on", "int[]"},
    {"synced_seq", "bigint[]"},   {"next_check_on", "int[]"},
};
constexpr int kRowColumnCount = sizeof(kRowColumns) / sizeof(kRowColumns[0]);

// "s.client_id, s.case_id, ..." for reading rows.
const std::string& RowSelectList() {
  static const std::string kList = [] {
    std::string list;
    for (int i = 0; i < kRowColumnCount; ++i) {
      if (i > 0) list += ", ";
      list += std::string("s.") + kRowColumns[i].name;
    }
    return list;
  }();
  return kList;
}

Date Day(std::int64_t days) { return Date::FromDaysSinceEpoch(static_cast<std::int32_t>(days)); }

Result<CollectionRow> ReadRow(const Rows& q, int r, int first) {
  CollectionRow row;
  int i = first;
  row.client = app::ClientId(q.Int(r, i++));
  row.id = app::CaseId(q.Int(r, i++));
  row.open = q.Bool(r, i++);
  row.strategy_id = q.String(r, i++);
  row.strategy_version = static_cast<std::int32_t>(q.Int(r, i++));
  workflow::CaseFacts& f = row.facts;
  f.case_id = row.id.value();
  f.customer_kind =
      q.Int(r, i++) == 1 ? domain::CustomerKind::kBusiness : domain::CustomerKind::kConsumer;
  f.country = static_cast<workflow::CountryCode>(q.Int(r, i++));
  const std::string currency_code = q.String(r, i++);
  auto currency = domain::Currency::FromCode(currency_code);
  if (!currency) return DataLoss("collection_state: stored currency " + currency_code);
  f.balance = domain::Money::FromMinorUnits(q.Int(r, i++), *currency);
  f.overdue_since = Day(q.Int(r, i++));
  f.handed_over = Day(q.Int(r, i++));
  f.repeat_customer = q.Int(r, i++) != 0;
  f.channels = static_cast<workflow::ChannelSet>(q.Int(r, i++));
  f.disputed = q.Int(r, i++) != 0;
  f.hardship = q.Int(r, i++) != 0;
  f.variant = static_cast<std::int16_t>(q.Int(r, i++));
  f.current_step = static_cast<std::int16_t>(q.Int(r, i++));
  f.current_step_on = Day(q.Int(r, i++));
  f.resume.step = static_cast<std::int16_t>(q.Int(r, i++));
  f.resume.due = Day(q.Int(r, i++));
  f.arrangement.kind = static_cast<workflow::ArrangementKind>(q.Int(r, i++));
  f.arrangement.next_unpaid_due = Day(q.Int(r, i++));
  f.arrangement.fully_paid = q.Int(r, i++) != 0;
  f.arrangement.ends_on = Day(q.Int(r, i++));
  row.synced_seq = q.Int(r, i++);
  row.next_check_on = Day(q.Int(r, i++));
  QUITT_CHECK(i - first == kRowColumnCount);
  return row;
}

// Appends one row to the column arrays (same order as kRowColumns).
void AddRow(std::vector<ArrayLiteral>& columns, const CollectionRow& row) {
  const workflow::CaseFacts& f = row.facts;
  int i = 0;
  columns[i++].Add(row.client.value());
  columns[i++].Add(row.id.value());
  columns[i++].AddBool(row.open);
  columns[i++].Add(row.strategy_id);
  columns[i++].Add(std::int64_t{row.strategy_version});
  columns[i++].Add(std::int64_t{f.customer_kind == domain::CustomerKind::kBusiness});
  columns[i++].Add(std::int64_t{f.country});
  columns[i++].Add(f.balance.currency().code());
  columns[i++].Add(f.balance.minor_units());
  columns[i++].Add(std::int64_t{f.overdue_since.days_since_epoch()});
  columns[i++].Add(std::int64_t{f.handed_over.days_since_epoch()});
  columns[i++].Add(std::int64_t{f.repeat_customer});
  columns[i++].Add(std::int64_t{f.channels});
  columns[i++].Add(std::int64_t{f.disputed});
  columns[i++].Add(std::int64_t{f.hardship});
  columns[i++].Add(std::int64_t{f.variant});
  columns[i++].Add(std::int64_t{f.current_step});
  columns[i++].Add(std::int64_t{f.current_step_on.days_since_epoch()});
  columns[i++].Add(std::int64_t{f.resume.step});
  columns[i++].Add(std::int64_t{f.resume.due.days_since_epoch()});
  columns[i++].Add(static_cast<std::int64_t>(f.arrangement.kind));
  columns[i++].Add(std::int64_t{f.arrangement.next_unpaid_due.days_since_epoch()});
  columns[i++].Add(std::int64_t{f.arrangement.fully_paid});
  columns[i++].Add(std::int64_t{f.arrangement.ends_on.days_since_epoch()});
  columns[i++].Add(row.synced_seq);
  columns[i++].Add(std::int64_t{row.next_check_on.days_since_epoch()});
  QUITT_CHECK(i == kRowColumnCount);
}

const std::string& UpsertRowsSql() {
  static const std::string kSql = [] {
    std::string names, arrays, updates;
    for (int i = 0; i < kRowColumnCount; ++i) {
      const std::string name = kRowColumns[i].name;
      if (i > 0) names += ", ", arrays += ", ";
      names += name;
      arrays += "$" + std::to_string(i + 1) + "::" + kRowColumns[i].array_type;
      if (i >= 2) {
        if (!updates.empty()) updates += ", ";
        updates += name + " = excluded." + name;
      }
    }
    return "INSERT INTO collection_state (" + names + ") SELECT * FROM unnest(" + arrays +
           ") ON CONFLICT (client_id, case_id) DO UPDATE SET " + updates;
  }();
  return kSql;
}

// The items of `items` whose key was not seen later (keep_last) or earlier (!keep_last): one
// statement may touch a row only once, while SQLite applies a batch row by row.
template <typename T, typename KeyOf>
std::vector<const T*> Distinct(const std::vector<T>& items, KeyOf key_of, bool keep_last) {
  std::vector<const T*> out;
  out.reserve(items.size());
  std::set<decltype(key_of(items.front()))> seen;
  if (keep_last) {
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
      if (seen.insert(key_of(*it)).second) out.push_back(&*it);
    }
    std::reverse(out.begin(), out.end());
  } else {
    for (const T& item : items) {
      if (seen.insert(key_of(item)).second) out.push_back(&item);
    }
  }
  return out;
}

std::pair<std::int64_t, std::int64_t> CaseKey(app::ClientId client, app::CaseId id) {
  return {client.value(), id.value()};
}

const std::string& PartitionColumns() {
  static const std::string kColumns = "r.client_id, " + DaysColumn("r.as_of") +
                                      ", r.partition_no, r.partitions, r.status, " +
                                      "r.worker, coalesce(" + MicrosColumn("r.lease_until") +
                                      ", 0), r.after_case, r.cases_seen, r.actions";
  return kColumns;
}

app::RunPartition ReadPartition(const Rows& q, int r) {
  app::RunPartition p;
  p.client = app::ClientId(q.Int(r, 0));
  p.as_of = Day(q.Int(r, 1));
  p.partition = static_cast<int>(q.Int(r, 2));
  p.partitions = static_cast<int>(q.Int(r, 3));
  p.status = q.String(r, 4);
  p.worker = q.String(r, 5);
  p.lease_until = domain::Timestamp::FromUnixMicros(q.Int(r, 6));
  p.after_case = app::CaseId(q.Int(r, 7));
  p.cases_seen = q.Int(r, 8);
  p.actions = q.Int(r, 9);
  return p;
}

std::vector<std::string> JsonList(std::string_view text) {
  std::vector<std::string> out;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Status PostgresCaseStore::WriteCollection(const app::WriteBatch& batch) {
  if (!batch.case_heads.empty()) {
    static const std::string kUpdateHeads =
        "UPDATE cases c SET last_seq = h.last_seq, last_hash = h.last_hash, "
        "updated_at = h.updated_at, status = CASE WHEN h.closed THEN 'closed' ELSE c.status END "
        "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[], $5::timestamptz[], "
        "$6::boolean[]) AS h(client_id, case_id, last_seq, last_hash, updated_at, closed) "
        "WHERE c.client_id = h.client_id AND c.case_id = h.case_id RETURNING c.case_id";
    auto heads = Distinct(
        batch.case_heads, [](const app::CaseHead& h) { return CaseKey(h.client, h.id); }, true);
    QUITT_RETURN_IF_ERROR(
        InSlices(heads.size(), [&](std::size_t first, std::size_t last) -> Status {
          std::vector<ArrayLiteral> columns(6);
          for (std::size_t i = first; i < last; ++i) {
            const app::CaseHead& h = *heads[i];
            columns[0].Add(h.client.value());
            columns[1].Add(h.id.value());
            columns[2].Add(h.last_seq);
            columns[3].AddBytes(h.last_hash);
            columns[4].Add(h.updated_at.ToString());
            columns[5].AddBool(h.closed);
          }
          Params params;
          for (auto& column : columns) params.Add(column.Finish());
          QUITT_ASSIGN_OR_RETURN(Rows updated, db_->Query(kUpdateHeads, params));
          if (static_cast<std::size_t>(updated.size()) != last - first) {
            // Name the first missing case, like SQLite does.
            std::set<std::int64_t> found;
            for (int r = 0; r < updated.size(); ++r) found.insert(updated.Int(r, 0));
            for (std::size_t i = first; i < last; ++i) {
              if (!found.count(heads[i]->id.value())) {
                return Aborted("case " + std::to_string(heads[i]->id.value()) + " does not exist");
              }
            }
            return Aborted("a case of the batch does not exist");
          }
          return OkStatus();
        }));
  }
  if (!batch.collection_rows.empty()) {
    auto rows = Distinct(
        batch.collection_rows, [](const CollectionRow& r) { return CaseKey(r.client, r.id); },
        true);
    QUITT_RETURN_IF_ERROR(InSlices(rows.size(), [&](std::size_t first, std::size_t last) -> Status {
      std::vector<ArrayLiteral> columns(kRowColumnCount);
      for (std::size_t i = first; i < last; ++i) AddRow(columns, *rows[i]);
      Params params;
      for (auto& column : columns) params.Add(column.Finish());
      auto done = db_->Query(UpsertRowsSql(), params);
      return done.ok() ? OkStatus() : done.error().WithContext("collection rows");
    }));
  }
  if (!batch.next_checks.empty()) {
    static const std::string kUpdateChecks =
        "UPDATE collection_state s SET next_check_on = n.next_check_on FROM unnest($1::bigint[], "
        "$2::bigint[], $3::int[]) AS n(client_id, case_id, next_check_on) "
        "WHERE s.client_id = n.client_id AND s.case_id = n.case_id";
    auto checks = Distinct(
        batch.next_checks, [](const app::NextCheck& c) { return CaseKey(c.client, c.id); }, true);
    QUITT_RETURN_IF_ERROR(
        InSlices(checks.size(), [&](std::size_t first, std::size_t last) -> Status {
          std::vector<ArrayLiteral> columns(3);
          for (std::size_t i = first; i < last; ++i) {
            columns[0].Add(checks[i]->client.value());
            columns[1].Add(checks[i]->id.value());
            columns[2].Add(std::int64_t{checks[i]->next_check_on.days_since_epoch()});
          }
          Params params;
          for (auto& column : columns) params.Add(column.Finish());
          auto done = db_->Query(kUpdateChecks, params);
          return done.ok() ? OkStatus() : done.error().WithContext("next checks");
        }));
  }
  if (!batch.outbox.empty()) {
    // An existing key keeps its first message, also against a concurrent run: ON CONFLICT DO
    // NOTHING waits for the other insert and then skips.
    static const std::string kInsertOutbox =
        "INSERT INTO outbox (client_id, message_key, case_id, case_number, channel, template, "
        "due_date, run_date, event_seq, status, created_at) SELECT * FROM unnest($1::bigint[], "
        "$2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], "
        "$9::bigint[], $10::text[], $11::timestamptz[]) ON CONFLICT (client_id, message_key) "
        "DO NOTHING";
    auto messages = Distinct(
        batch.outbox,
        [](const app::OutboxMessage& m) { return std::make_pair(m.client.value(), m.message_key); },
        false);
    QUITT_RETURN_IF_ERROR(
        InSlices(messages.size(), [&](std::size_t first, std::size_t last) -> Status {
          std::vector<ArrayLiteral> columns(11);
          for (std::size_t i = first; i < last; ++i) {
            const app::OutboxMessage& m = *messages[i];
            columns[0].Add(m.client.value());
            columns[1].Add(m.message_key);
            columns[2].Add(m.case_id.value());
            columns[3].Add(m.case_number);
            columns[4].Add(m.channel);
            columns[5].Add(m.template_name);
            columns[6].Add(m.due.ToString());
            columns[7].Add(m.run_date.ToString());
            columns[8].Add(m.event_seq);
            columns[9].Add(m.status);
            columns[10].Add(m.created_at.ToString());
          }
          Params params;
          for (auto& column : columns) params.Add(column.Finish());
          auto done = db_->Query(kInsertOutbox, params);
          return done.ok() ? OkStatus() : done.error().WithContext("outbox");
        }));
  }
  return OkStatus();
}

Result<std::vector<app::CollectionCandidate>> PostgresCaseStore::ListCollectionCandidates(
    app::ClientId after_client, app::CaseId after_case, int limit) {
  // Missing rows of open cases and rows behind their history; the customer's contacts decide
  // the channels and an earlier case of the same customer makes a repeat customer.
  // FOR SHARE OF c: SQLite's write lock keeps other writers out between this read and the
  // rebuilt rows; here the candidates' case rows are share-locked until the caller commits, so a
  // run or a note that moves a case on (UPDATE of cases) waits, and its newer collection row is
  // written after the rebuilt one, never overwritten by it.
  static const std::string kQuery =
      "SELECT c.client_id, c.case_id, c.case_number, c.customer_id, c.customer_name, "
      "c.customer_kind, c.status, c.currency, c.principal_minor, c.claim_count, " +
      DaysColumn("c.opened_on") + ", " + DaysColumn("c.oldest_due_date") +
      ", c.last_seq, c.last_hash, " + MicrosColumn("c.updated_at") +
      ", cu.street, cu.postcode, cu.city, cu.country, cu.emails::text, cu.phones::text, "
      "cu.kind, EXISTS (SELECT 1 FROM cases e WHERE e.client_id = c.client_id AND "
      "e.customer_id = c.customer_id AND e.case_id < c.case_id), s.case_id IS NOT NULL "
      "FROM cases c JOIN customers cu ON cu.client_id = c.client_id AND "
      "cu.customer_id = c.customer_id "
      "LEFT JOIN collection_state s ON s.client_id = c.client_id AND s.case_id = c.case_id "
      "WHERE (c.client_id, c.case_id) > ($1::bigint, $2::bigint) AND "
      "((s.case_id IS NULL AND c.status = 'open') OR s.synced_seq <> c.last_seq) "
      "ORDER BY c.client_id, c.case_id LIMIT $3 FOR SHARE OF c";
  QUITT_ASSIGN_OR_RETURN(
      Rows q,
      db_->Query(
          kQuery,
          Params().Add(after_client.value()).Add(after_case.value()).Add(std::int64_t{limit})));
  std::vector<app::CollectionCandidate> out;
  out.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    app::CollectionCandidate c;
    QUITT_ASSIGN_OR_RETURN(c.summary, ReadCaseRow(q, r, 0));
    c.customer.id = c.summary.customer;
    c.customer.client = c.summary.client;
    c.customer.address = {q.String(r, 15), q.String(r, 16), q.String(r, 17), q.String(r, 18)};
    c.customer.emails = JsonList(q.Text(r, 19));
    c.customer.phones = JsonList(q.Text(r, 20));
    c.customer.kind =
        domain::ParseCustomerKind(q.Text(r, 21)).value_or(domain::CustomerKind::kConsumer);
    c.customer.name = c.summary.customer_name;
    c.repeat_customer = q.Bool(r, 22);
    c.has_row = q.Bool(r, 23);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<CollectionRow>> PostgresCaseStore::FindCollectionRow(app::ClientId client,
                                                                          app::CaseId id) {
  static const std::string kQuery = "SELECT " + RowSelectList() +
                                    " FROM collection_state s WHERE s.client_id = $1 AND "
                                    "s.case_id = $2";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params().Add(client.value()).Add(id.value())));
  if (q.empty()) return std::optional<CollectionRow>();
  QUITT_ASSIGN_OR_RETURN(auto row, ReadRow(q, 0, 0));
  return std::optional<CollectionRow>(std::move(row));
}

Result<bool> PostgresCaseStore::IsRepeatCustomer(app::ClientId client, app::CustomerId customer,
                                                 app::CaseId id) {
  QUITT_ASSIGN_OR_RETURN(
      Rows q, db_->Query("SELECT EXISTS (SELECT 1 FROM cases WHERE client_id = $1 AND "
                         "customer_id = $2 AND case_id < $3)",
                         Params().Add(client.value()).Add(customer.value()).Add(id.value())));
  QUITT_CHECK(q.size() == 1);
  return q.Bool(0, 0);
}

// FOR UPDATE OF c, s: the batch's rows stay locked until it commits, as SQLite's write lock keeps
// them. A second worker on the same partition (a lease taken over while its first worker still
// runs) waits for the batch, then sees the rows as they were committed: a case decided meanwhile
// has moved its next_check_on on and drops out, and the case head it reads is the new one. The
// case row is locked first (both in FROM and OF order), so a sync holding it FOR SHARE is waited
// for before the collection row is locked, and the two never wait for each other in a circle.
Result<std::vector<app::DueCase>> PostgresCaseStore::LoadDueCases(app::ClientId client, Date as_of,
                                                                  int partitions, int partition,
                                                                  app::CaseId after, int limit) {
  static const std::string kQuery =
      "SELECT " + RowSelectList() +
      ", c.case_number, c.last_seq, c.last_hash FROM cases c JOIN collection_state s ON "
      "c.client_id = s.client_id AND c.case_id = s.case_id WHERE s.client_id = $1 AND "
      "s.case_id > $2 AND s.open AND s.next_check_on <= $3 AND (s.case_id / 1024) % $4 = $5 "
      "ORDER BY s.case_id LIMIT $6 FOR UPDATE OF c, s";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params()
                                                        .Add(client.value())
                                                        .Add(after.value())
                                                        .Add(std::int64_t{as_of.days_since_epoch()})
                                                        .Add(std::int64_t{partitions})
                                                        .Add(std::int64_t{partition})
                                                        .Add(std::int64_t{limit})));
  std::vector<app::DueCase> out;
  out.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    app::DueCase due;
    QUITT_ASSIGN_OR_RETURN(due.row, ReadRow(q, r, 0));
    due.case_number = q.String(r, kRowColumnCount);
    due.last_seq = q.Int(r, kRowColumnCount + 1);
    if (!q.Digest(r, kRowColumnCount + 2, due.last_hash)) {
      return DataLoss("case " + due.case_number + ": stored last_hash has the wrong size");
    }
    out.push_back(std::move(due));
  }
  return out;
}

Result<int> PostgresCaseStore::PlanRun(Date as_of, int partitions) {
  QUITT_CHECK(partitions >= 1);
  QUITT_CHECK(!in_transaction_);
  QUITT_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  auto plan = [&]() -> Result<int> {
    // Planners of the same date wait for each other, so the second sees the first one's plan
    // instead of failing on its keys.
    QUITT_RETURN_IF_ERROR(db_->Query("SELECT pg_advisory_xact_lock($1::int, $2::int)",
                                     Params()
                                         .Add(std::int64_t{kRunPlanLockKey})
                                         .Add(std::int64_t{as_of.days_since_epoch()}))
                              .status());
    QUITT_ASSIGN_OR_RETURN(
        Rows existing, db_->Query("SELECT partitions FROM run_partitions WHERE as_of = $1::date "
                                  "LIMIT 1",
                                  Params().Add(as_of.ToString())));
    if (!existing.empty()) return static_cast<int>(existing.Int(0, 0));
    QUITT_ASSIGN_OR_RETURN(
        Rows inserted,
        db_->Query("INSERT INTO run_partitions (client_id, as_of, partition_no, partitions, "
                   "status) SELECT c.client_id, $1::date, p, $2::int, 'pending' FROM (SELECT "
                   "DISTINCT client_id FROM collection_state WHERE open) c CROSS JOIN "
                   "generate_series(0, $2::int - 1) AS p",
                   Params().Add(as_of.ToString()).Add(std::int64_t{partitions})));
    (void)inserted;
    return partitions;
  };
  auto result = plan();
  if (!result) {
    (void)db_->Exec("ROLLBACK");
    return result.error();
  }
  QUITT_ASSIGN_OR_RETURN(std::string tag, db_->ExecForTag("COMMIT"));
  if (tag != "COMMIT") return Aborted("the run plan of " + as_of.ToString() + " was rolled back");
  return result;
}

Result<std::optional<app::RunPartition>> PostgresCaseStore::ClaimRunPartition(
    Date as_of, const std::string& worker, domain::Timestamp now, domain::Timestamp lease_until,
    bool take_over) {
  QUITT_CHECK(!in_transaction_);
  // One statement (its own transaction): the pick locks its row and skips rows other claimers
  // hold, so two workers never get the same partition; a row claimed and committed meanwhile is
  // re-checked against the condition and passed over. A pending partition first, then one whose
  // worker's lease ran out, or with take_over any running one.
  static const std::string kClaim =
      "UPDATE run_partitions r SET status = 'running', worker = $1, "
      "lease_until = $2::timestamptz, started_at = coalesce(r.started_at, $3::timestamptz) "
      "FROM (SELECT client_id, as_of, partition_no FROM run_partitions WHERE as_of = $4::date "
      "AND (status = 'pending' OR (status = 'running' AND ($5::boolean OR "
      "lease_until < $3::timestamptz))) ORDER BY status = 'running', client_id, partition_no "
      "LIMIT 1 FOR UPDATE SKIP LOCKED) AS pick "
      "WHERE r.client_id = pick.client_id AND r.as_of = pick.as_of AND "
      "r.partition_no = pick.partition_no RETURNING " +
      PartitionColumns();
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kClaim, Params()
                                                        .Add(worker)
                                                        .Add(lease_until.ToString())
                                                        .Add(now.ToString())
                                                        .Add(as_of.ToString())
                                                        .AddBool(take_over)));
  if (q.empty()) return std::optional<app::RunPartition>();
  return std::optional<app::RunPartition>(ReadPartition(q, 0));
}

Status PostgresCaseStore::SaveRunPartition(const app::RunPartition& p) {
  auto saved = db_->Query(
      "UPDATE run_partitions SET status = $1::text, worker = $2, lease_until = $3::timestamptz, "
      "after_case = $4, cases_seen = $5, actions = $6, finished_at = CASE WHEN $1::text = 'done' "
      "THEN $7::timestamptz ELSE finished_at END WHERE client_id = $8 AND as_of = $9::date AND "
      "partition_no = $10",
      Params()
          .Add(p.status)
          .Add(p.worker)
          .Add(p.lease_until.ToString())
          .Add(p.after_case.value())
          .Add(p.cases_seen)
          .Add(p.actions)
          .Add(clock_.Now().ToString())
          .Add(p.client.value())
          .Add(p.as_of.ToString())
          .Add(std::int64_t{p.partition}));
  return saved.ok() ? OkStatus() : saved.error();
}

Result<std::vector<app::RunPartition>> PostgresCaseStore::ListRunPartitions(Date as_of) {
  static const std::string kQuery = "SELECT " + PartitionColumns() +
                                    " FROM run_partitions r WHERE r.as_of = $1::date ORDER BY "
                                    "r.client_id, r.partition_no";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params().Add(as_of.ToString())));
  std::vector<app::RunPartition> out;
  out.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) out.push_back(ReadPartition(q, r));
  return out;
}

Result<std::vector<app::OutboxMessage>> PostgresCaseStore::ListOutbox(
    std::optional<app::ClientId> client, std::optional<app::CaseId> case_id,
    const std::string& after_key, int limit) {
  // COLLATE "C": keys compare and sort byte by byte like SQLite's, whatever the database locale.
  std::string sql = "SELECT client_id, message_key, case_id, case_number, channel, template, " +
                    DaysColumn("due_date") + ", " + DaysColumn("run_date") + ", event_seq, " +
                    "status, " + MicrosColumn("created_at") +
                    " FROM outbox WHERE message_key COLLATE \"C\" > $1";
  Params params;
  params.Add(after_key);
  if (client) {
    params.Add(client->value());
    sql += " AND client_id = $" + std::to_string(params.size());
  }
  if (case_id) {
    params.Add(case_id->value());
    sql += " AND case_id = $" + std::to_string(params.size());
  }
  params.Add(std::int64_t{limit});
  sql += " ORDER BY client_id, message_key COLLATE \"C\" LIMIT $" + std::to_string(params.size());
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(sql, params));
  std::vector<app::OutboxMessage> out;
  out.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    app::OutboxMessage m;
    m.client = app::ClientId(q.Int(r, 0));
    m.message_key = q.String(r, 1);
    m.case_id = app::CaseId(q.Int(r, 2));
    m.case_number = q.String(r, 3);
    m.channel = q.String(r, 4);
    m.template_name = q.String(r, 5);
    m.due = Day(q.Int(r, 6));
    m.run_date = Day(q.Int(r, 7));
    m.event_seq = q.Int(r, 8);
    m.status = q.String(r, 9);
    m.created_at = domain::Timestamp::FromUnixMicros(q.Int(r, 10));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace quitt::adapters::postgres
