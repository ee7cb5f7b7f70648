// The payment methods of SqliteCaseStore (issue 5): bank entries, journal, splits, remittances,
// refund holds, client terms and the matching read model. Schema: migrations/0003_payments.sql.
#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "common/check.h"

namespace quitt::adapters::sqlite {

using domain::Date;
using domain::Money;

namespace {

Result<Date> ParseStoredDate(const std::string& text, const char* column) {
  auto date = Date::Parse(text);
  if (!date) return DataLoss(std::string("stored ") + column + ": " + date.error().message());
  return *date;
}

Result<Money> StoredMoney(std::int64_t minor, const std::string& code) {
  auto currency = domain::Currency::FromCode(code);
  if (!currency) return DataLoss("stored currency: " + currency.error().message());
  return Money::FromMinorUnits(minor, *currency);
}

Result<std::int64_t> NextId(Database& db, const char* sequence) {
  // Two plain statements rather than UPDATE ... RETURNING, whose buffered result set costs more
  // than the update (this runs twice per posted payment).
  QUITT_ASSIGN_OR_RETURN(Statement * update,
                         db.Cached("UPDATE id_sequences SET next_value = next_value + 1 "
                                   "WHERE name = ?"));
  update->BindRef(1, sequence);
  QUITT_RETURN_IF_ERROR(update->Run());
  if (sqlite3_changes(db.raw()) != 1) {
    return Internal(std::string("id sequence '") + sequence + "' is missing");
  }
  QUITT_ASSIGN_OR_RETURN(Statement * read,
                         db.Cached("SELECT next_value - 1 FROM id_sequences WHERE name = ?"));
  ResetOnExit reset(read);
  read->BindRef(1, sequence);
  QUITT_ASSIGN_OR_RETURN(bool row, read->Step());
  if (!row) return Internal(std::string("id sequence '") + sequence + "' is missing");
  return read->Int(0);
}

constexpr const char* kBankEntryColumns =
    "entry_id, entry_key, account_iban, statement_id, format, source, booking_date, amount_minor, "
    "currency, credit, reversal, counterparty_name, counterparty_iban, end_to_end_id, "
    "creditor_reference, remittance, state, client_id, case_id, case_number, match_reason, "
    "confidence, explanation, candidates, imported_at";

Result<app::BankEntry> ReadBankEntry(Statement& q) {
  app::BankEntry e;
  e.entry_id = q.Int(0);
  e.entry_key = q.Text(1);
  e.account_iban = q.Text(2);
  e.statement_id = q.Text(3);
  e.format = q.Text(4);
  e.source = q.Text(5);
  QUITT_ASSIGN_OR_RETURN(e.booking_date, ParseStoredDate(q.Text(6), "booking_date"));
  QUITT_ASSIGN_OR_RETURN(e.amount, StoredMoney(q.Int(7), q.Text(8)));
  e.credit = q.Int(9) != 0;
  e.reversal = q.Int(10) != 0;
  e.counterparty_name = q.Text(11);
  e.counterparty_iban = q.Text(12);
  e.end_to_end_id = q.Text(13);
  e.creditor_reference = q.Text(14);
  e.remittance = q.Text(15);
  auto state = app::ParseBankEntryState(q.Text(16));
  if (!state) return DataLoss("stored bank entry state '" + q.Text(16) + "'");
  e.state = *state;
  e.client = domain::ClientId(q.Int(17));
  e.case_id = domain::CaseId(q.Int(18));
  e.case_number = q.Text(19);
  e.match_reason = q.Text(20);
  e.confidence = static_cast<int>(q.Int(21));
  e.explanation = q.Text(22);
  e.candidates = q.Text(23);
  auto at = domain::Timestamp::Parse(q.Text(24));
  if (!at) return DataLoss("stored imported_at: " + at.error().message());
  e.imported_at = *at;
  return e;
}

constexpr const char* kSplitColumns =
    "client_id, split_id, case_id, case_number, payment_ref, split_date, currency, amount_minor, "
    "to_client_minor, commission_minor, agency_costs_minor, principal_minor, interest_minor, "
    "costs_minor, remittance_id";

Result<app::PaymentSplit> ReadSplit(Statement& q) {
  app::PaymentSplit s;
  s.client = domain::ClientId(q.Int(0));
  s.split_id = q.Int(1);
  s.case_id = domain::CaseId(q.Int(2));
  s.case_number = q.Text(3);
  s.payment_ref = q.Text(4);
  QUITT_ASSIGN_OR_RETURN(s.date, ParseStoredDate(q.Text(5), "split_date"));
  const std::string currency = q.Text(6);
  QUITT_ASSIGN_OR_RETURN(s.amount, StoredMoney(q.Int(7), currency));
  QUITT_ASSIGN_OR_RETURN(s.to_client, StoredMoney(q.Int(8), currency));
  QUITT_ASSIGN_OR_RETURN(s.commission, StoredMoney(q.Int(9), currency));
  QUITT_ASSIGN_OR_RETURN(s.agency_costs, StoredMoney(q.Int(10), currency));
  QUITT_ASSIGN_OR_RETURN(s.principal, StoredMoney(q.Int(11), currency));
  QUITT_ASSIGN_OR_RETURN(s.interest, StoredMoney(q.Int(12), currency));
  QUITT_ASSIGN_OR_RETURN(s.costs, StoredMoney(q.Int(13), currency));
  if (!q.IsNull(14)) s.remittance_id = q.Int(14);
  return s;
}

}  // namespace

Result<bool> SqliteCaseStore::InsertBankEntry(app::BankEntry& e) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(
      Statement * insert,
      db_->Cached(
          "INSERT INTO bank_entries (entry_key, account_iban, statement_id, format, source, "
          "booking_date, amount_minor, currency, credit, reversal, counterparty_name, "
          "counterparty_iban, end_to_end_id, creditor_reference, remittance, state, "
          "client_id, case_id, case_number, match_reason, confidence, explanation, "
          "candidates, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_key) DO NOTHING"));
  insert->Bind(1, e.entry_key)
      .Bind(2, e.account_iban)
      .Bind(3, e.statement_id)
      .Bind(4, e.format)
      .Bind(5, e.source)
      .Bind(6, e.booking_date.ToString())
      .Bind(7, e.amount.minor_units())
      .Bind(8, e.amount.currency().code())
      .Bind(9, static_cast<std::int64_t>(e.credit))
      .Bind(10, static_cast<std::int64_t>(e.reversal))
      .Bind(11, e.counterparty_name)
      .Bind(12, e.counterparty_iban)
      .Bind(13, e.end_to_end_id)
      .Bind(14, e.creditor_reference)
      .Bind(15, e.remittance)
      .Bind(16, app::BankEntryStateName(e.state))
      .Bind(17, e.client.value())
      .Bind(18, e.case_id.value())
      .Bind(19, e.case_number)
      .Bind(20, e.match_reason)
      .Bind(21, static_cast<std::int64_t>(e.confidence))
      .Bind(22, e.explanation)
      .Bind(23, e.candidates)
      .Bind(24, e.imported_at.ToString());
  // Without RETURNING: SQLite buffers RETURNING rows in a temporary table, which cost more than
  // the insert itself. One connection, one statement at a time: changes() and the last rowid
  // are this insert's.
  QUITT_RETURN_IF_ERROR(insert->Run());
  if (sqlite3_changes(db_->raw()) == 0) return false;
  e.entry_id = sqlite3_last_insert_rowid(db_->raw());
  return true;
}

Status SqliteCaseStore::UpdateBankEntry(const app::BankEntry& e) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(
      Statement * update,
      db_->Cached("UPDATE bank_entries SET state = ?, client_id = ?, case_id = ?, case_number = ?, "
                  "match_reason = ?, confidence = ?, explanation = ?, candidates = ? "
                  "WHERE entry_id = ?"));
  update->Bind(1, app::BankEntryStateName(e.state))
      .Bind(2, e.client.value())
      .Bind(3, e.case_id.value())
      .Bind(4, e.case_number)
      .Bind(5, e.match_reason)
      .Bind(6, static_cast<std::int64_t>(e.confidence))
      .Bind(7, e.explanation)
      .Bind(8, e.candidates)
      .Bind(9, e.entry_id);
  QUITT_RETURN_IF_ERROR(update->Run());
  if (sqlite3_changes(db_->raw()) != 1) {
    return NotFound("bank entry " + std::to_string(e.entry_id) + " does not exist");
  }
  return OkStatus();
}

Result<std::optional<app::BankEntry>> SqliteCaseStore::FindBankEntry(std::int64_t entry_id) {
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(std::string("SELECT ") + kBankEntryColumns +
                                              " FROM bank_entries WHERE entry_id = ?"));
  q->Bind(1, entry_id);
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<app::BankEntry>();
  QUITT_ASSIGN_OR_RETURN(auto entry, ReadBankEntry(*q));
  return std::optional<app::BankEntry>(std::move(entry));
}

Result<std::vector<app::BankEntry>> SqliteCaseStore::ListBankEntries(
    std::optional<app::BankEntryState> state, std::int64_t after_id, int limit) {
  std::string sql = std::string("SELECT ") + kBankEntryColumns + " FROM bank_entries WHERE ";
  sql += state ? "state = ? AND entry_id > ?" : "? IS NULL AND entry_id > ?";
  sql += " ORDER BY entry_id LIMIT ?";
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(sql));
  if (state) {
    q->Bind(1, app::BankEntryStateName(*state));
  } else {
    q->BindNull(1);
  }
  q->Bind(2, after_id).Bind(3, static_cast<std::int64_t>(limit));
  std::vector<app::BankEntry> entries;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    QUITT_ASSIGN_OR_RETURN(auto entry, ReadBankEntry(*q));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status SqliteCaseStore::AddJournalEntry(app::JournalEntry& entry) {
  QUITT_CHECK(in_transaction_);
  std::int64_t debit = 0, credit = 0;
  for (const auto& line : entry.lines) {
    if (line.debit_minor < 0 || line.credit_minor < 0) {
      return InvalidArgument("journal entry " + entry.kind + " " + entry.reference +
                             ": negative amount on account " + line.account);
    }
    debit += line.debit_minor;
    credit += line.credit_minor;
  }
  if (debit != credit || entry.lines.empty()) {
    return InvalidArgument("journal entry " + entry.kind + " " + entry.reference +
                           " is not balanced: debits " + std::to_string(debit) + ", credits " +
                           std::to_string(credit));
  }
  QUITT_ASSIGN_OR_RETURN(entry.journal_id, NextId(*db_, "journal"));
  QUITT_ASSIGN_OR_RETURN(Statement * head,
                         db_->Cached("INSERT INTO journal_entries (client_id, journal_id, "
                                     "entry_date, kind, reference, memo, currency, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  head->Bind(1, entry.client.value())
      .Bind(2, entry.journal_id)
      .Bind(3, entry.date.ToString())
      .Bind(4, entry.kind)
      .Bind(5, entry.reference)
      .Bind(6, entry.memo)
      .Bind(7, entry.currency)
      .Bind(8, clock_.Now().ToString());
  Status status = head->Run();
  if (status.code() == StatusCode::kAborted) {
    return AlreadyExists("journal entry " + entry.kind + " " + entry.reference +
                         " is recorded already");
  }
  QUITT_RETURN_IF_ERROR(status);
  QUITT_ASSIGN_OR_RETURN(Statement * line_insert,
                         db_->Cached("INSERT INTO journal_lines (client_id, journal_id, line_no, "
                                     "account, line_client, debit_minor, credit_minor) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  std::int64_t line_no = 0;
  for (const auto& line : entry.lines) {
    line_insert->Bind(1, entry.client.value())
        .Bind(2, entry.journal_id)
        .Bind(3, ++line_no)
        .Bind(4, line.account)
        .Bind(5, line.client.value())
        .Bind(6, line.debit_minor)
        .Bind(7, line.credit_minor);
    QUITT_RETURN_IF_ERROR(line_insert->Run());
  }
  return OkStatus();
}

Result<app::JournalTotals> SqliteCaseStore::SumJournal() {
  app::JournalTotals totals;
  QUITT_ASSIGN_OR_RETURN(auto count, db_->Prepare("SELECT (SELECT count(*) FROM journal_entries), "
                                                  "(SELECT count(*) FROM journal_lines)"));
  QUITT_ASSIGN_OR_RETURN(bool row, count->Step());
  if (row) {
    totals.entries = count->Int(0);
    totals.lines = count->Int(1);
  }
  QUITT_ASSIGN_OR_RETURN(
      auto sums, db_->Prepare("SELECT l.account, l.line_client, e.currency, sum(l.debit_minor), "
                              "sum(l.credit_minor) FROM journal_lines l JOIN journal_entries e "
                              "ON e.client_id = l.client_id AND e.journal_id = l.journal_id "
                              "GROUP BY l.account, l.line_client, e.currency "
                              "ORDER BY l.account, l.line_client, e.currency"));
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool more, sums->Step());
    if (!more) break;
    totals.accounts.push_back(
        {sums->Text(0), domain::ClientId(sums->Int(1)), sums->Text(2), sums->Int(3), sums->Int(4)});
  }
  // An entry without lines is unbalanced too (it moved nothing but claims to exist).
  QUITT_ASSIGN_OR_RETURN(
      auto unbalanced,
      db_->Prepare("SELECT e.journal_id FROM journal_entries e LEFT JOIN journal_lines l "
                   "ON e.client_id = l.client_id AND e.journal_id = l.journal_id "
                   "GROUP BY e.client_id, e.journal_id "
                   "HAVING coalesce(sum(l.debit_minor), 0) != coalesce(sum(l.credit_minor), 0) "
                   "OR count(l.line_no) = 0 ORDER BY e.journal_id"));
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool more, unbalanced->Step());
    if (!more) break;
    totals.unbalanced_journal_ids.push_back(unbalanced->Int(0));
  }
  return totals;
}

Status SqliteCaseStore::AddPaymentSplit(app::PaymentSplit& s) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(s.split_id, NextId(*db_, "split"));
  QUITT_ASSIGN_OR_RETURN(
      Statement * insert,
      db_->Cached("INSERT INTO payment_splits (client_id, split_id, case_id, case_number, "
                  "payment_ref, split_date, currency, amount_minor, to_client_minor, "
                  "commission_minor, agency_costs_minor, principal_minor, interest_minor, "
                  "costs_minor, remittance_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "NULL)"));
  insert->Bind(1, s.client.value())
      .Bind(2, s.split_id)
      .Bind(3, s.case_id.value())
      .Bind(4, s.case_number)
      .Bind(5, s.payment_ref)
      .Bind(6, s.date.ToString())
      .Bind(7, s.amount.currency().code())
      .Bind(8, s.amount.minor_units())
      .Bind(9, s.to_client.minor_units())
      .Bind(10, s.commission.minor_units())
      .Bind(11, s.agency_costs.minor_units())
      .Bind(12, s.principal.minor_units())
      .Bind(13, s.interest.minor_units())
      .Bind(14, s.costs.minor_units());
  Status status = insert->Run();
  if (status.code() == StatusCode::kAborted) {
    return AlreadyExists("payment " + s.payment_ref + " is split already (or does not add up)");
  }
  return status;
}

Result<std::vector<app::PaymentSplit>> SqliteCaseStore::ListUnremittedSplits(app::ClientId client,
                                                                             Date as_of) {
  QUITT_ASSIGN_OR_RETURN(auto q, db_->Prepare(std::string("SELECT ") + kSplitColumns +
                                              " FROM payment_splits WHERE client_id = ? AND "
                                              "remittance_id IS NULL AND split_date <= ? "
                                              "ORDER BY split_id"));
  q->Bind(1, client.value()).Bind(2, as_of.ToString());
  std::vector<app::PaymentSplit> splits;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    QUITT_ASSIGN_OR_RETURN(auto split, ReadSplit(*q));
    splits.push_back(std::move(split));
  }
  return splits;
}

Status SqliteCaseStore::AddRemittance(app::Remittance& r, const std::vector<std::int64_t>& ids) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(r.remittance_id, NextId(*db_, "remittance"));
  QUITT_ASSIGN_OR_RETURN(
      auto insert, db_->Prepare("INSERT INTO remittances (client_id, remittance_id, as_of, "
                                "currency, total_minor, commission_minor, agency_costs_minor, "
                                "items, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                "?)"));
  insert->Bind(1, r.client.value())
      .Bind(2, r.remittance_id)
      .Bind(3, r.as_of.ToString())
      .Bind(4, r.total.currency().code())
      .Bind(5, r.total.minor_units())
      .Bind(6, r.commission.minor_units())
      .Bind(7, r.agency_costs.minor_units())
      .Bind(8, static_cast<std::int64_t>(r.items))
      .Bind(9, r.message_id)
      .Bind(10, r.created_at.ToString());
  QUITT_RETURN_IF_ERROR(insert->Run());
  QUITT_ASSIGN_OR_RETURN(auto mark,
                         db_->Prepare("UPDATE payment_splits SET remittance_id = ? WHERE "
                                      "client_id = ? AND split_id = ? AND remittance_id IS NULL"));
  for (std::int64_t id : ids) {
    mark->Bind(1, r.remittance_id).Bind(2, r.client.value()).Bind(3, id);
    QUITT_RETURN_IF_ERROR(mark->Run());
    if (sqlite3_changes(db_->raw()) != 1) {
      return Aborted("payment split " + std::to_string(id) + " is remitted already");
    }
  }
  return OkStatus();
}

Result<std::vector<app::Remittance>> SqliteCaseStore::ListRemittances(
    std::optional<app::ClientId> client) {
  QUITT_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("SELECT client_id, remittance_id, as_of, currency, total_minor, "
                           "commission_minor, agency_costs_minor, items, message_id, created_at "
                           "FROM remittances WHERE (? IS NULL OR client_id = ?) "
                           "ORDER BY client_id, remittance_id"));
  if (client) {
    q->Bind(1, client->value()).Bind(2, client->value());
  } else {
    q->BindNull(1).BindNull(2);
  }
  std::vector<app::Remittance> list;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    app::Remittance r;
    r.client = domain::ClientId(q->Int(0));
    r.remittance_id = q->Int(1);
    QUITT_ASSIGN_OR_RETURN(r.as_of, ParseStoredDate(q->Text(2), "as_of"));
    const std::string currency = q->Text(3);
    QUITT_ASSIGN_OR_RETURN(r.total, StoredMoney(q->Int(4), currency));
    QUITT_ASSIGN_OR_RETURN(r.commission, StoredMoney(q->Int(5), currency));
    QUITT_ASSIGN_OR_RETURN(r.agency_costs, StoredMoney(q->Int(6), currency));
    r.items = static_cast<int>(q->Int(7));
    r.message_id = q->Text(8);
    auto at = domain::Timestamp::Parse(q->Text(9));
    if (!at) return DataLoss("stored created_at: " + at.error().message());
    r.created_at = *at;
    list.push_back(std::move(r));
  }
  return list;
}

Status SqliteCaseStore::AddRefundHold(app::RefundHold& h) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(h.hold_id, NextId(*db_, "refund_hold"));
  QUITT_ASSIGN_OR_RETURN(
      Statement * insert,
      db_->Cached("INSERT INTO refund_holds (client_id, hold_id, case_id, case_number, "
                  "payment_ref, hold_date, currency, amount_minor, reason, payer_name, payer_iban, "
                  "refunded_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"));
  insert->Bind(1, h.client.value())
      .Bind(2, h.hold_id)
      .Bind(3, h.case_id.value())
      .Bind(4, h.case_number)
      .Bind(5, h.payment_ref)
      .Bind(6, h.date.ToString())
      .Bind(7, h.amount.currency().code())
      .Bind(8, h.amount.minor_units())
      .Bind(9, h.reason)
      .Bind(10, h.payer_name)
      .Bind(11, h.payer_iban);
  Status status = insert->Run();
  if (status.code() == StatusCode::kAborted) {
    return AlreadyExists("payment " + h.payment_ref + " is held already");
  }
  return status;
}

Result<std::vector<app::RefundHold>> SqliteCaseStore::ListOpenRefundHolds() {
  QUITT_ASSIGN_OR_RETURN(
      auto q, db_->Prepare("SELECT client_id, hold_id, case_id, case_number, payment_ref, "
                           "hold_date, currency, amount_minor, reason, payer_name, payer_iban "
                           "FROM refund_holds WHERE refunded_in IS NULL "
                           "ORDER BY client_id, hold_id"));
  std::vector<app::RefundHold> holds;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    app::RefundHold h;
    h.client = domain::ClientId(q->Int(0));
    h.hold_id = q->Int(1);
    h.case_id = domain::CaseId(q->Int(2));
    h.case_number = q->Text(3);
    h.payment_ref = q->Text(4);
    QUITT_ASSIGN_OR_RETURN(h.date, ParseStoredDate(q->Text(5), "hold_date"));
    QUITT_ASSIGN_OR_RETURN(h.amount, StoredMoney(q->Int(7), q->Text(6)));
    h.reason = q->Text(8);
    h.payer_name = q->Text(9);
    h.payer_iban = q->Text(10);
    holds.push_back(std::move(h));
  }
  return holds;
}

Status SqliteCaseStore::MarkRefunded(const std::vector<app::RefundHold>& holds,
                                     const std::string& message_id) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(auto mark,
                         db_->Prepare("UPDATE refund_holds SET refunded_in = ? WHERE "
                                      "client_id = ? AND hold_id = ? AND refunded_in IS NULL"));
  for (const auto& h : holds) {
    mark->Bind(1, message_id).Bind(2, h.client.value()).Bind(3, h.hold_id);
    QUITT_RETURN_IF_ERROR(mark->Run());
    if (sqlite3_changes(db_->raw()) != 1) {
      return Aborted("refund hold " + std::to_string(h.hold_id) + " is paid back already");
    }
  }
  return OkStatus();
}

Status SqliteCaseStore::PutClientTerms(const app::ClientTerms& t) {
  QUITT_ASSIGN_OR_RETURN(
      auto q, db_->Prepare(
                  "INSERT INTO client_terms (client_id, commission_bp, "
                  "agency_keeps_collection_costs, client_bears_uncollected_costs, "
                  "client_can_deduct_vat, rhythm, min_remittance_minor, payout_name, "
                  "payout_iban, payout_bic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (client_id) DO UPDATE SET commission_bp = excluded.commission_bp, "
                  "agency_keeps_collection_costs = excluded.agency_keeps_collection_costs, "
                  "client_bears_uncollected_costs = excluded.client_bears_uncollected_costs, "
                  "client_can_deduct_vat = excluded.client_can_deduct_vat, "
                  "rhythm = excluded.rhythm, min_remittance_minor = excluded.min_remittance_minor, "
                  "payout_name = excluded.payout_name, payout_iban = excluded.payout_iban, "
                  "payout_bic = excluded.payout_bic"));
  q->Bind(1, t.client.value())
      .Bind(2, static_cast<std::int64_t>(t.commission_bp))
      .Bind(3, static_cast<std::int64_t>(t.agency_keeps_collection_costs))
      .Bind(4, static_cast<std::int64_t>(t.client_bears_uncollected_costs))
      .Bind(5, static_cast<std::int64_t>(t.client_can_deduct_vat))
      .Bind(6, app::RemittanceRhythmName(t.rhythm))
      .Bind(7, t.min_remittance_minor)
      .Bind(8, t.payout_name)
      .Bind(9, t.payout_iban)
      .Bind(10, t.payout_bic);
  return q->Run();
}

Result<std::optional<app::ClientTerms>> SqliteCaseStore::FindClientTerms(app::ClientId client) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * q, db_->Cached("SELECT commission_bp, agency_keeps_collection_costs, "
                                 "client_bears_uncollected_costs, client_can_deduct_vat, rhythm, "
                                 "min_remittance_minor, payout_name, payout_iban, payout_bic "
                                 "FROM client_terms WHERE client_id = ?"));
  ResetOnExit reset(q);
  q->Bind(1, client.value());
  QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<app::ClientTerms>();
  app::ClientTerms t;
  t.client = client;
  t.commission_bp = static_cast<std::int32_t>(q->Int(0));
  t.agency_keeps_collection_costs = q->Int(1) != 0;
  t.client_bears_uncollected_costs = q->Int(2) != 0;
  t.client_can_deduct_vat = q->Int(3) != 0;
  auto rhythm = app::ParseRemittanceRhythm(q->Text(4));
  if (!rhythm) return DataLoss("stored remittance rhythm '" + q->Text(4) + "'");
  t.rhythm = *rhythm;
  t.min_remittance_minor = q->Int(5);
  t.payout_name = q->Text(6);
  t.payout_iban = q->Text(7);
  t.payout_bic = q->Text(8);
  return std::optional<app::ClientTerms>(std::move(t));
}

Status SqliteCaseStore::PutCaseBalance(app::ClientId client, app::CaseId id, const Money& open,
                                       Date as_of) {
  QUITT_ASSIGN_OR_RETURN(
      Statement * q,
      db_->Cached("INSERT INTO case_balances (client_id, case_id, open_minor, currency, as_of) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, case_id) DO UPDATE SET "
                  "open_minor = excluded.open_minor, currency = excluded.currency, "
                  "as_of = excluded.as_of"));
  q->Bind(1, client.value())
      .Bind(2, id.value())
      .Bind(3, open.minor_units())
      .Bind(4, open.currency().code())
      .Bind(5, as_of.ToString());
  return q->Run();
}

Result<std::vector<app::MatchIndexRow>> SqliteCaseStore::LoadMatchIndex() {
  // Before any payment the customer owes at least the principal plus the client's own costs.
  // The claims' costs are summed once per case (one grouped pass, not a query per case).
  QUITT_ASSIGN_OR_RETURN(
      auto q,
      db_->Prepare("SELECT c.client_id, c.case_id, c.case_number, c.status, c.customer_name, "
                   "coalesce(cu.iban, ''), coalesce(b.open_minor, c.principal_minor + "
                   "coalesce(cc.costs, 0)), c.currency "
                   "FROM cases c JOIN customers cu ON cu.client_id = c.client_id AND "
                   "cu.customer_id = c.customer_id LEFT JOIN case_balances b ON "
                   "b.client_id = c.client_id AND b.case_id = c.case_id LEFT JOIN "
                   "(SELECT client_id, case_id, sum(client_costs_minor) AS costs FROM claims "
                   "GROUP BY client_id, case_id) cc ON cc.client_id = c.client_id AND "
                   "cc.case_id = c.case_id ORDER BY c.client_id, c.case_id"));
  std::vector<app::MatchIndexRow> rows;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    app::MatchIndexRow r;
    r.client = domain::ClientId(q->Int(0));
    r.case_id = domain::CaseId(q->Int(1));
    r.case_number = q->Text(2);
    r.closed = q->Text(3) == "closed";
    r.customer_name = q->Text(4);
    r.customer_iban = q->Text(5);
    QUITT_ASSIGN_OR_RETURN(r.open_balance, StoredMoney(q->Int(6), q->Text(7)));
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace quitt::adapters::sqlite
