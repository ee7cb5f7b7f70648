// The payment methods of PostgresCaseStore (issue 5): bank entries, journal, splits, remittances,
// refund holds, client terms and the matching read model of migrations/0003_payments.sql. Same
// behaviour as ../sqlite/sqlite_payment_store.cc.
//
// One difference shapes the code: a failed statement aborts a PostgreSQL transaction (every later
// statement fails until ROLLBACK), while SQLite only undoes the failed statement. The expected
// refusals (a known key, an entry that does not add up) must leave the caller's transaction
// usable, so they are found without a failing statement: ON CONFLICT DO NOTHING for unique keys,
// checks in C++ before CHECK constraints would fire.
#include <set>
#include <utility>

#include "adapters/storage/postgres/pg_store_support.h"
#include "adapters/storage/postgres/postgres_case_store.h"
#include "common/check.h"

namespace quitt::adapters::postgres {

using domain::Date;
using domain::Money;

namespace {

Result<Money> StoredMoney(std::int64_t minor, const std::string& code) {
  QUITT_ASSIGN_OR_RETURN(auto currency, ReadCurrency(code));
  return Money::FromMinorUnits(minor, currency);
}

const std::string& BankEntryColumns() {
  static const std::string kColumns =
      "entry_id, entry_key, account_iban, statement_id, format, source, " +
      DaysColumn("booking_date") +
      ", amount_minor, currency, credit, reversal, counterparty_name, counterparty_iban, "
      "end_to_end_id, creditor_reference, remittance, state, client_id, case_id, case_number, "
      "match_reason, confidence, explanation, candidates, " +
      MicrosColumn("imported_at");
  return kColumns;
}

Result<app::BankEntry> ReadBankEntry(const Rows& q, int r) {
  app::BankEntry e;
  e.entry_id = q.Int(r, 0);
  e.entry_key = q.String(r, 1);
  e.account_iban = q.String(r, 2);
  e.statement_id = q.String(r, 3);
  e.format = q.String(r, 4);
  e.source = q.String(r, 5);
  e.booking_date = DateFromDays(q, r, 6);
  QUITT_ASSIGN_OR_RETURN(e.amount, StoredMoney(q.Int(r, 7), q.String(r, 8)));
  e.credit = q.Bool(r, 9);
  e.reversal = q.Bool(r, 10);
  e.counterparty_name = q.String(r, 11);
  e.counterparty_iban = q.String(r, 12);
  e.end_to_end_id = q.String(r, 13);
  e.creditor_reference = q.String(r, 14);
  e.remittance = q.String(r, 15);
  auto state = app::ParseBankEntryState(q.String(r, 16));
  if (!state) return DataLoss("stored bank entry state '" + q.String(r, 16) + "'");
  e.state = *state;
  e.client = domain::ClientId(q.Int(r, 17));
  e.case_id = domain::CaseId(q.Int(r, 18));
  e.case_number = q.String(r, 19);
  e.match_reason = q.String(r, 20);
  e.confidence = static_cast<int>(q.Int(r, 21));
  e.explanation = q.String(r, 22);
  e.candidates = q.String(r, 23);
  e.imported_at = domain::Timestamp::FromUnixMicros(q.Int(r, 24));
  return e;
}

const std::string& SplitColumns() {
  static const std::string kColumns =
      "client_id, split_id, case_id, case_number, payment_ref, " + DaysColumn("split_date") +
      ", currency, amount_minor, to_client_minor, commission_minor, agency_costs_minor, "
      "principal_minor, interest_minor, costs_minor, remittance_id";
  return kColumns;
}

Result<app::PaymentSplit> ReadSplit(const Rows& q, int r) {
  app::PaymentSplit s;
  s.client = domain::ClientId(q.Int(r, 0));
  s.split_id = q.Int(r, 1);
  s.case_id = domain::CaseId(q.Int(r, 2));
  s.case_number = q.String(r, 3);
  s.payment_ref = q.String(r, 4);
  s.date = DateFromDays(q, r, 5);
  const std::string currency = q.String(r, 6);
  QUITT_ASSIGN_OR_RETURN(s.amount, StoredMoney(q.Int(r, 7), currency));
  QUITT_ASSIGN_OR_RETURN(s.to_client, StoredMoney(q.Int(r, 8), currency));
  QUITT_ASSIGN_OR_RETURN(s.commission, StoredMoney(q.Int(r, 9), currency));
  QUITT_ASSIGN_OR_RETURN(s.agency_costs, StoredMoney(q.Int(r, 10), currency));
  QUITT_ASSIGN_OR_RETURN(s.principal, StoredMoney(q.Int(r, 11), currency));
  QUITT_ASSIGN_OR_RETURN(s.interest, StoredMoney(q.Int(r, 12), currency));
  QUITT_ASSIGN_OR_RETURN(s.costs, StoredMoney(q.Int(r, 13), currency));
  if (!q.IsNull(r, 14)) s.remittance_id = q.Int(r, 14);
  return s;
}

}  // namespace

Result<bool> PostgresCaseStore::InsertBankEntry(app::BankEntry& e) {
  QUITT_CHECK(in_transaction_);
  if (e.amount.minor_units() < 0) {
    return InvalidArgument("bank entry " + e.entry_key + ": negative amount");
  }
  auto inserted = db_->Query(
      "INSERT INTO bank_entries (entry_key, account_iban, statement_id, format, source, "
      "booking_date, amount_minor, currency, credit, reversal, counterparty_name, "
      "counterparty_iban, end_to_end_id, creditor_reference, remittance, state, client_id, "
      "case_id, case_number, match_reason, confidence, explanation, candidates, imported_at) "
      "VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9::boolean, $10::boolean, $11, $12, $13, "
      "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24::timestamptz) "
      "ON CONFLICT (entry_key) DO NOTHING RETURNING entry_id",
      Params()
          .Add(e.entry_key)
          .Add(e.account_iban)
          .Add(e.statement_id)
          .Add(e.format)
          .Add(e.source)
          .Add(e.booking_date.ToString())
          .Add(e.amount.minor_units())
          .Add(e.amount.currency().code())
          .AddBool(e.credit)
          .AddBool(e.reversal)
          .Add(e.counterparty_name)
          .Add(e.counterparty_iban)
          .Add(e.end_to_end_id)
          .Add(e.creditor_reference)
          .Add(e.remittance)
          .Add(app::BankEntryStateName(e.state))
          .Add(e.client.value())
          .Add(e.case_id.value())
          .Add(e.case_number)
          .Add(e.match_reason)
          .Add(std::int64_t{e.confidence})
          .Add(e.explanation)
          .Add(e.candidates)
          .Add(e.imported_at.ToString()));
  if (!inserted.ok()) return inserted.error().WithContext("bank entry " + e.entry_key);
  if (inserted->empty()) return false;  // a known key: read before, nothing changes
  e.entry_id = inserted->Int(0, 0);
  return true;
}

Status PostgresCaseStore::UpdateBankEntry(const app::BankEntry& e) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(
      Rows updated,
      db_->Query("UPDATE bank_entries SET state = $1, client_id = $2, case_id = $3, "
                 "case_number = $4, match_reason = $5, confidence = $6, explanation = $7, "
                 "candidates = $8 WHERE entry_id = $9 RETURNING entry_id",
                 Params()
                     .Add(app::BankEntryStateName(e.state))
                     .Add(e.client.value())
                     .Add(e.case_id.value())
                     .Add(e.case_number)
                     .Add(e.match_reason)
                     .Add(std::int64_t{e.confidence})
                     .Add(e.explanation)
                     .Add(e.candidates)
                     .Add(e.entry_id)));
  if (updated.size() != 1) {
    return NotFound("bank entry " + std::to_string(e.entry_id) + " does not exist");
  }
  return OkStatus();
}

Result<std::optional<app::BankEntry>> PostgresCaseStore::FindBankEntry(std::int64_t entry_id) {
  static const std::string kQuery =
      "SELECT " + BankEntryColumns() + " FROM bank_entries WHERE entry_id = $1";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery, Params().Add(entry_id)));
  if (q.empty()) return std::optional<app::BankEntry>();
  QUITT_ASSIGN_OR_RETURN(auto entry, ReadBankEntry(q, 0));
  return std::optional<app::BankEntry>(std::move(entry));
}

Result<std::vector<app::BankEntry>> PostgresCaseStore::ListBankEntries(
    std::optional<app::BankEntryState> state, std::int64_t after_id, int limit) {
  static const std::string kAll = "SELECT " + BankEntryColumns() +
                                  " FROM bank_entries WHERE entry_id > $1 ORDER BY entry_id "
                                  "LIMIT $2";
  static const std::string kInState = "SELECT " + BankEntryColumns() +
                                      " FROM bank_entries WHERE entry_id > $1 AND state = $3 "
                                      "ORDER BY entry_id LIMIT $2";
  Params params;
  params.Add(after_id).Add(std::int64_t{limit});
  if (state) params.Add(app::BankEntryStateName(*state));
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(state ? kInState : kAll, params));
  std::vector<app::BankEntry> entries;
  entries.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    QUITT_ASSIGN_OR_RETURN(auto entry, ReadBankEntry(q, r));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status PostgresCaseStore::AddJournalEntry(app::JournalEntry& entry) {
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
  // A replayed (kind, reference) inserts nothing; a concurrent writer of the same one makes this
  // insert wait for it and then insert nothing either.
  QUITT_ASSIGN_OR_RETURN(
      Rows head,
      db_->Query("INSERT INTO journal_entries (client_id, journal_id, entry_date, kind, "
                 "reference, memo, currency, created_at) VALUES ($1, nextval('journal_ids'), "
                 "$2::date, $3, $4, $5, $6, $7::timestamptz) ON CONFLICT (kind, reference) DO "
                 "NOTHING RETURNING journal_id",
                 Params()
                     .Add(entry.client.value())
                     .Add(entry.date.ToString())
                     .Add(entry.kind)
                     .Add(entry.reference)
                     .Add(entry.memo)
                     .Add(entry.currency)
                     .Add(clock_.Now().ToString())));
  if (head.empty()) {
    return AlreadyExists("journal entry " + entry.kind + " " + entry.reference +
                         " is recorded already");
  }
  entry.journal_id = head.Int(0, 0);
  ArrayLiteral accounts, clients, debits, credits;
  for (const auto& line : entry.lines) {
    accounts.Add(line.account);
    clients.Add(line.client.value());
    debits.Add(line.debit_minor);
    credits.Add(line.credit_minor);
  }
  auto lines = db_->Query(
      "INSERT INTO journal_lines (client_id, journal_id, line_no, account, line_client, "
      "debit_minor, credit_minor) SELECT $1::bigint, $2::bigint, l.line_no, l.account, "
      "l.line_client, l.debit_minor, l.credit_minor FROM unnest($3::text[], $4::bigint[], "
      "$5::bigint[], $6::bigint[]) WITH ORDINALITY AS l(account, line_client, debit_minor, "
      "credit_minor, line_no)",
      Params()
          .Add(entry.client.value())
          .Add(entry.journal_id)
          .Add(accounts.Finish())
          .Add(clients.Finish())
          .Add(debits.Finish())
          .Add(credits.Finish()));
  return lines.ok() ? OkStatus() : lines.error().WithContext("journal lines");
}

Result<app::JournalTotals> PostgresCaseStore::SumJournal() {
  app::JournalTotals totals;
  QUITT_ASSIGN_OR_RETURN(Rows count, db_->Query("SELECT (SELECT count(*) FROM journal_entries), "
                                                "(SELECT count(*) FROM journal_lines)"));
  if (!count.empty()) {
    totals.entries = count.Int(0, 0);
    totals.lines = count.Int(0, 1);
  }
  // COLLATE "C": accounts in byte order, like SQLite.
  QUITT_ASSIGN_OR_RETURN(
      Rows sums,
      db_->Query("SELECT l.account, l.line_client, e.currency, sum(l.debit_minor)::bigint, "
                 "sum(l.credit_minor)::bigint FROM journal_lines l JOIN journal_entries e "
                 "ON e.client_id = l.client_id AND e.journal_id = l.journal_id "
                 "GROUP BY l.account, l.line_client, e.currency "
                 "ORDER BY l.account COLLATE \"C\", l.line_client, e.currency COLLATE \"C\""));
  for (int r = 0; r < sums.size(); ++r) {
    totals.accounts.push_back({sums.String(r, 0), domain::ClientId(sums.Int(r, 1)),
                               sums.String(r, 2), sums.Int(r, 3), sums.Int(r, 4)});
  }
  // An entry without lines is unbalanced too (it moved nothing but claims to exist).
  QUITT_ASSIGN_OR_RETURN(
      Rows unbalanced,
      db_->Query("SELECT e.journal_id FROM journal_entries e LEFT JOIN journal_lines l "
                 "ON e.client_id = l.client_id AND e.journal_id = l.journal_id "
                 "GROUP BY e.client_id, e.journal_id "
                 "HAVING coalesce(sum(l.debit_minor), 0) <> coalesce(sum(l.credit_minor), 0) "
                 "OR count(l.line_no) = 0 ORDER BY e.journal_id"));
  for (int r = 0; r < unbalanced.size(); ++r) {
    totals.unbalanced_journal_ids.push_back(unbalanced.Int(r, 0));
  }
  return totals;
}

Status PostgresCaseStore::AddPaymentSplit(app::PaymentSplit& s) {
  QUITT_CHECK(in_transaction_);
  // The table's CHECK says the same; failing it would abort the caller's transaction.
  if (s.amount.minor_units() !=
      s.to_client.minor_units() + s.commission.minor_units() + s.agency_costs.minor_units()) {
    return InvalidArgument("payment " + s.payment_ref + ": the split does not add up (" +
                           s.amount.ToDecimalString() + " != " + s.to_client.ToDecimalString() +
                           " + " + s.commission.ToDecimalString() + " + " +
                           s.agency_costs.ToDecimalString() + ")");
  }
  auto inserted = db_->Query(
      "INSERT INTO payment_splits (client_id, split_id, case_id, case_number, payment_ref, "
      "split_date, currency, amount_minor, to_client_minor, commission_minor, "
      "agency_costs_minor, principal_minor, interest_minor, costs_minor, remittance_id) "
      "VALUES ($1, nextval('split_ids'), $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11, $12, "
      "$13, NULL) ON CONFLICT (client_id, payment_ref) DO NOTHING RETURNING split_id",
      Params()
          .Add(s.client.value())
          .Add(s.case_id.value())
          .Add(s.case_number)
          .Add(s.payment_ref)
          .Add(s.date.ToString())
          .Add(s.amount.currency().code())
          .Add(s.amount.minor_units())
          .Add(s.to_client.minor_units())
          .Add(s.commission.minor_units())
          .Add(s.agency_costs.minor_units())
          .Add(s.principal.minor_units())
          .Add(s.interest.minor_units())
          .Add(s.costs.minor_units()));
  if (!inserted.ok()) return inserted.error().WithContext("payment " + s.payment_ref);
  if (inserted->empty()) return AlreadyExists("payment " + s.payment_ref + " is split already");
  s.split_id = inserted->Int(0, 0);
  return OkStatus();
}

Result<std::vector<app::PaymentSplit>> PostgresCaseStore::ListUnremittedSplits(app::ClientId client,
                                                                               Date as_of) {
  static const std::string kQuery = "SELECT " + SplitColumns() +
                                    " FROM payment_splits WHERE client_id = $1 AND remittance_id "
                                    "IS NULL AND split_date <= $2::date ORDER BY split_id";
  QUITT_ASSIGN_OR_RETURN(Rows q,
                         db_->Query(kQuery, Params().Add(client.value()).Add(as_of.ToString())));
  std::vector<app::PaymentSplit> splits;
  splits.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    QUITT_ASSIGN_OR_RETURN(auto split, ReadSplit(q, r));
    splits.push_back(std::move(split));
  }
  return splits;
}

Status PostgresCaseStore::AddRemittance(app::Remittance& r, const std::vector<std::int64_t>& ids) {
  QUITT_CHECK(in_transaction_);
  QUITT_ASSIGN_OR_RETURN(
      Rows inserted,
      db_->Query("INSERT INTO remittances (client_id, remittance_id, as_of, currency, "
                 "total_minor, commission_minor, agency_costs_minor, items, message_id, "
                 "created_at) VALUES ($1, nextval('remittance_ids'), $2::date, $3, $4, $5, $6, "
                 "$7, $8, $9::timestamptz) RETURNING remittance_id",
                 Params()
                     .Add(r.client.value())
                     .Add(r.as_of.ToString())
                     .Add(r.total.currency().code())
                     .Add(r.total.minor_units())
                     .Add(r.commission.minor_units())
                     .Add(r.agency_costs.minor_units())
                     .Add(std::int64_t{r.items})
                     .Add(r.message_id)
                     .Add(r.created_at.ToString())));
  if (inserted.empty()) return Internal("insert of remittance returned no id");
  r.remittance_id = inserted.Int(0, 0);
  if (ids.empty()) return OkStatus();
  // Only splits not remitted yet are marked. A concurrent remittance of the same split holds its
  // row lock; this UPDATE waits for it, re-reads the row and then leaves it out.
  ArrayLiteral id_list;
  for (std::int64_t id : ids) id_list.Add(id);
  QUITT_ASSIGN_OR_RETURN(
      Rows marked,
      db_->Query("UPDATE payment_splits SET remittance_id = $1 WHERE client_id = $2 AND "
                 "split_id = ANY($3::bigint[]) AND remittance_id IS NULL RETURNING split_id",
                 Params().Add(r.remittance_id).Add(r.client.value()).Add(id_list.Finish())));
  if (static_cast<std::size_t>(marked.size()) != ids.size()) {
    std::set<std::int64_t> done;
    for (int i = 0; i < marked.size(); ++i) done.insert(marked.Int(i, 0));
    std::set<std::int64_t> seen;
    for (std::int64_t id : ids) {
      // A split listed twice is "remitted already" the second time, as in SQLite.
      if (!done.count(id) || !seen.insert(id).second) {
        return Aborted("payment split " + std::to_string(id) + " is remitted already");
      }
    }
  }
  return OkStatus();
}

Result<std::vector<app::Remittance>> PostgresCaseStore::ListRemittances(
    std::optional<app::ClientId> client) {
  static const std::string kColumns =
      "SELECT client_id, remittance_id, " + DaysColumn("as_of") +
      ", currency, total_minor, commission_minor, agency_costs_minor, items, message_id, " +
      MicrosColumn("created_at") + " FROM remittances";
  static const std::string kAll = kColumns + " ORDER BY client_id, remittance_id";
  static const std::string kOfClient =
      kColumns + " WHERE client_id = $1 ORDER BY client_id, remittance_id";
  Params params;
  if (client) params.Add(client->value());
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(client ? kOfClient : kAll, params));
  std::vector<app::Remittance> list;
  list.reserve(q.size());
  for (int i = 0; i < q.size(); ++i) {
    app::Remittance r;
    r.client = domain::ClientId(q.Int(i, 0));
    r.remittance_id = q.Int(i, 1);
    r.as_of = DateFromDays(q, i, 2);
    const std::string currency = q.String(i, 3);
    QUITT_ASSIGN_OR_RETURN(r.total, StoredMoney(q.Int(i, 4), currency));
    QUITT_ASSIGN_OR_RETURN(r.commission, StoredMoney(q.Int(i, 5), currency));
    QUITT_ASSIGN_OR_RETURN(r.agency_costs, StoredMoney(q.Int(i, 6), currency));
    r.items = static_cast<int>(q.Int(i, 7));
    r.message_id = q.String(i, 8);
    r.created_at = domain::Timestamp::FromUnixMicros(q.Int(i, 9));
    list.push_back(std::move(r));
  }
  return list;
}

Status PostgresCaseStore::AddRefundHold(app::RefundHold& h) {
  QUITT_CHECK(in_transaction_);
  if (h.amount.minor_units() <= 0) {
    return InvalidArgument("refund hold of payment " + h.payment_ref + ": amount " +
                           h.amount.ToDecimalString() + " is not positive");
  }
  auto inserted = db_->Query(
      "INSERT INTO refund_holds (client_id, hold_id, case_id, case_number, payment_ref, "
      "hold_date, currency, amount_minor, reason, payer_name, payer_iban, refunded_in) "
      "VALUES ($1, nextval('refund_hold_ids'), $2, $3, $4, $5::date, $6, $7, $8, $9, $10, NULL) "
      "ON CONFLICT (client_id, payment_ref) DO NOTHING RETURNING hold_id",
      Params()
          .Add(h.client.value())
          .Add(h.case_id.value())
          .Add(h.case_number)
          .Add(h.payment_ref)
          .Add(h.date.ToString())
          .Add(h.amount.currency().code())
          .Add(h.amount.minor_units())
          .Add(h.reason)
          .Add(h.payer_name)
          .Add(h.payer_iban));
  if (!inserted.ok()) return inserted.error().WithContext("refund hold " + h.payment_ref);
  if (inserted->empty()) return AlreadyExists("payment " + h.payment_ref + " is held already");
  h.hold_id = inserted->Int(0, 0);
  return OkStatus();
}

Result<std::vector<app::RefundHold>> PostgresCaseStore::ListOpenRefundHolds() {
  static const std::string kQuery =
      "SELECT client_id, hold_id, case_id, case_number, payment_ref, " + DaysColumn("hold_date") +
      ", currency, amount_minor, reason, payer_name, payer_iban FROM refund_holds "
      "WHERE refunded_in IS NULL ORDER BY client_id, hold_id";
  QUITT_ASSIGN_OR_RETURN(Rows q, db_->Query(kQuery));
  std::vector<app::RefundHold> holds;
  holds.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    app::RefundHold h;
    h.client = domain::ClientId(q.Int(r, 0));
    h.hold_id = q.Int(r, 1);
    h.case_id = domain::CaseId(q.Int(r, 2));
    h.case_number = q.String(r, 3);
    h.payment_ref = q.String(r, 4);
    h.date = DateFromDays(q, r, 5);
    QUITT_ASSIGN_OR_RETURN(h.amount, StoredMoney(q.Int(r, 7), q.String(r, 6)));
    h.reason = q.String(r, 8);
    h.payer_name = q.String(r, 9);
    h.payer_iban = q.String(r, 10);
    holds.push_back(std::move(h));
  }
  return holds;
}

Status PostgresCaseStore::MarkRefunded(const std::vector<app::RefundHold>& holds,
                                       const std::string& message_id) {
  QUITT_CHECK(in_transaction_);
  for (const auto& h : holds) {
    QUITT_ASSIGN_OR_RETURN(
        Rows marked, db_->Query("UPDATE refund_holds SET refunded_in = $1 WHERE client_id = $2 AND "
                                "hold_id = $3 AND refunded_in IS NULL RETURNING hold_id",
                                Params().Add(message_id).Add(h.client.value()).Add(h.hold_id)));
    if (marked.size() != 1) {
      return Aborted("refund hold " + std::to_string(h.hold_id) + " is paid back already");
    }
  }
  return OkStatus();
}

Status PostgresCaseStore::PutClientTerms(const app::ClientTerms& t) {
  auto put = db_->Query(
      "INSERT INTO client_terms (client_id, commission_bp, agency_keeps_collection_costs, "
      "client_bears_uncollected_costs, client_can_deduct_vat, rhythm, min_remittance_minor, "
      "payout_name, payout_iban, payout_bic) VALUES ($1, $2, $3::boolean, $4::boolean, "
      "$5::boolean, $6, $7, $8, $9, $10) ON CONFLICT (client_id) DO UPDATE SET "
      "commission_bp = excluded.commission_bp, "
      "agency_keeps_collection_costs = excluded.agency_keeps_collection_costs, "
      "client_bears_uncollected_costs = excluded.client_bears_uncollected_costs, "
      "client_can_deduct_vat = excluded.client_can_deduct_vat, rhythm = excluded.rhythm, "
      "min_remittance_minor = excluded.min_remittance_minor, "
      "payout_name = excluded.payout_name, payout_iban = excluded.payout_iban, "
      "payout_bic = excluded.payout_bic",
      Params()
          .Add(t.client.value())
          .Add(std::int64_t{t.commission_bp})
          .AddBool(t.agency_keeps_collection_costs)
          .AddBool(t.client_bears_uncollected_costs)
          .AddBool(t.client_can_deduct_vat)
          .Add(app::RemittanceRhythmName(t.rhythm))
          .Add(t.min_remittance_minor)
          .Add(t.payout_name)
          .Add(t.payout_iban)
          .Add(t.payout_bic));
  return put.ok() ? OkStatus() : put.error().WithContext("client terms");
}

Result<std::optional<app::ClientTerms>> PostgresCaseStore::FindClientTerms(app::ClientId client) {
  QUITT_ASSIGN_OR_RETURN(
      Rows q, db_->Query("SELECT commission_bp, agency_keeps_collection_costs, "
                         "client_bears_uncollected_costs, client_can_deduct_vat, rhythm, "
                         "min_remittance_minor, payout_name, payout_iban, payout_bic "
                         "FROM client_terms WHERE client_id = $1",
                         Params().Add(client.value())));
  if (q.empty()) return std::optional<app::ClientTerms>();
  app::ClientTerms t;
  t.client = client;
  t.commission_bp = static_cast<std::int32_t>(q.Int(0, 0));
  t.agency_keeps_collection_costs = q.Bool(0, 1);
  t.client_bears_uncollected_costs = q.Bool(0, 2);
  t.client_can_deduct_vat = q.Bool(0, 3);
  auto rhythm = app::ParseRemittanceRhythm(q.String(0, 4));
  if (!rhythm) return DataLoss("stored remittance rhythm '" + q.String(0, 4) + "'");
  t.rhythm = *rhythm;
  t.min_remittance_minor = q.Int(0, 5);
  t.payout_name = q.String(0, 6);
  t.payout_iban = q.String(0, 7);
  t.payout_bic = q.String(0, 8);
  return std::optional<app::ClientTerms>(std::move(t));
}

Status PostgresCaseStore::PutCaseBalance(app::ClientId client, app::CaseId id, const Money& open,
                                         Date as_of) {
  auto put = db_->Query(
      "INSERT INTO case_balances (client_id, case_id, open_minor, currency, as_of) "
      "VALUES ($1, $2, $3, $4, $5::date) ON CONFLICT (client_id, case_id) DO UPDATE SET "
      "open_minor = excluded.open_minor, currency = excluded.currency, as_of = excluded.as_of",
      Params()
          .Add(client.value())
          .Add(id.value())
          .Add(open.minor_units())
          .Add(open.currency().code())
          .Add(as_of.ToString()));
  return put.ok() ? OkStatus() : put.error().WithContext("case balance");
}

Result<std::vector<app::MatchIndexRow>> PostgresCaseStore::LoadMatchIndex() {
  // Before any payment the customer owes at least the principal plus the client's own costs,
  // summed in one grouped pass over the claims (not a subquery per case).
  QUITT_ASSIGN_OR_RETURN(
      Rows q,
      db_->Query("SELECT c.client_id, c.case_id, c.case_number, c.status, c.customer_name, "
                 "coalesce(cu.iban, ''), coalesce(b.open_minor, c.principal_minor + "
                 "coalesce(cc.costs, 0))::bigint, c.currency FROM cases c JOIN customers cu ON "
                 "cu.client_id = c.client_id AND cu.customer_id = c.customer_id LEFT JOIN "
                 "case_balances b ON b.client_id = c.client_id AND b.case_id = c.case_id "
                 "LEFT JOIN (SELECT client_id, case_id, sum(client_costs_minor) AS costs FROM "
                 "claims GROUP BY client_id, case_id) cc ON cc.client_id = c.client_id AND "
                 "cc.case_id = c.case_id ORDER BY c.client_id, c.case_id"));
  std::vector<app::MatchIndexRow> rows;
  rows.reserve(q.size());
  for (int r = 0; r < q.size(); ++r) {
    app::MatchIndexRow row;
    row.client = domain::ClientId(q.Int(r, 0));
    row.case_id = domain::CaseId(q.Int(r, 1));
    row.case_number = q.String(r, 2);
    row.closed = q.Text(r, 3) == "closed";
    row.customer_name = q.String(r, 4);
    row.customer_iban = q.String(r, 5);
    QUITT_ASSIGN_OR_RETURN(row.open_balance, StoredMoney(q.Int(r, 6), q.String(r, 7)));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace quitt::adapters::postgres
