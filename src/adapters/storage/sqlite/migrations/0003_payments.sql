-- quitt schema 0003 (payments, issue 5): bank entries and the review list, the trust account's
-- double-entry journal, payment splits, remittances, refund holds, client terms and the open
-- balance read model for matching. Rows that belong to a client carry client_id first in their
-- key; client_id 0 is the agency itself (unassigned receipts). Money is INTEGER minor units.

-- Every bank transaction ever read, once: entry_key is domain::payment::MakeTransactionKey (the
-- bank's own identifiers), so re-reading a statement inserts nothing. A bank entry belongs to no
-- client until it is matched, so its key is the bank's, not a client's.
CREATE TABLE bank_entries (
  entry_id            INTEGER PRIMARY KEY,
  entry_key           TEXT NOT NULL UNIQUE,
  account_iban        TEXT NOT NULL,
  statement_id        TEXT NOT NULL,
  format              TEXT NOT NULL,
  source              TEXT NOT NULL,
  booking_date        TEXT NOT NULL,
  amount_minor        INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency            TEXT NOT NULL,
  credit              INTEGER NOT NULL,
  reversal            INTEGER NOT NULL,
  counterparty_name   TEXT NOT NULL,
  counterparty_iban   TEXT NOT NULL,
  end_to_end_id       TEXT NOT NULL,
  creditor_reference  TEXT NOT NULL,
  remittance          TEXT NOT NULL,
  state               TEXT NOT NULL CHECK (state IN ('posted', 'review', 'held', 'not_incoming')),
  client_id           INTEGER NOT NULL,
  case_id             INTEGER NOT NULL,
  case_number         TEXT NOT NULL,
  match_reason        TEXT NOT NULL,
  confidence          INTEGER NOT NULL,
  explanation         TEXT NOT NULL,
  candidates          TEXT NOT NULL,
  imported_at         TEXT NOT NULL
);
-- The review list and state counts.
CREATE INDEX bank_entries_by_state ON bank_entries(state, entry_id);

-- The trust ledger. An entry is balanced (checked on insert and by `quitt ledger check`);
-- (kind, reference) is unique so replaying a posting records nothing twice.
CREATE TABLE journal_entries (
  client_id   INTEGER NOT NULL,
  journal_id  INTEGER NOT NULL,
  entry_date  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  reference   TEXT NOT NULL,
  memo        TEXT NOT NULL,
  currency    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (client_id, journal_id),
  UNIQUE (kind, reference)
) WITHOUT ROWID;

CREATE TABLE journal_lines (
  client_id     INTEGER NOT NULL,  -- the entry's client
  journal_id    INTEGER NOT NULL,
  line_no       INTEGER NOT NULL,
  account       TEXT NOT NULL,
  line_client   INTEGER NOT NULL,  -- whose sub-account (client_payable of client 7, ...)
  debit_minor   INTEGER NOT NULL CHECK (debit_minor >= 0),
  credit_minor  INTEGER NOT NULL CHECK (credit_minor >= 0),
  PRIMARY KEY (client_id, journal_id, line_no)
) WITHOUT ROWID;

CREATE TRIGGER journal_lines_are_never_updated BEFORE UPDATE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_lines_are_never_deleted BEFORE DELETE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

-- What each posted payment means for its client; remittance_id is set once (never remitted twice).
CREATE TABLE payment_splits (
  client_id           INTEGER NOT NULL,
  split_id            INTEGER NOT NULL,
  case_id             INTEGER NOT NULL,
  case_number         TEXT NOT NULL,
  payment_ref         TEXT NOT NULL,
  split_date          TEXT NOT NULL,
  currency            TEXT NOT NULL,
  amount_minor        INTEGER NOT NULL,
  to_client_minor     INTEGER NOT NULL,
  commission_minor    INTEGER NOT NULL,
  agency_costs_minor  INTEGER NOT NULL,
  principal_minor     INTEGER NOT NULL,
  interest_minor      INTEGER NOT NULL,
  costs_minor         INTEGER NOT NULL,
  remittance_id       INTEGER,
  PRIMARY KEY (client_id, split_id),
  UNIQUE (client_id, payment_ref),
  CHECK (amount_minor = to_client_minor + commission_minor + agency_costs_minor)
) WITHOUT ROWID;
CREATE INDEX payment_splits_unremitted ON payment_splits(client_id, remittance_id, split_date);

CREATE TABLE remittances (
  client_id           INTEGER NOT NULL,
  remittance_id       INTEGER NOT NULL,
  as_of               TEXT NOT NULL,
  currency            TEXT NOT NULL,
  total_minor         INTEGER NOT NULL,
  commission_minor    INTEGER NOT NULL,
  agency_costs_minor  INTEGER NOT NULL,
  items               INTEGER NOT NULL,
  message_id          TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  PRIMARY KEY (client_id, remittance_id)
) WITHOUT ROWID;

CREATE TABLE refund_holds (
  client_id     INTEGER NOT NULL,
  hold_id       INTEGER NOT NULL,
  case_id       INTEGER NOT NULL,
  case_number   TEXT NOT NULL,
  payment_ref   TEXT NOT NULL,
  hold_date     TEXT NOT NULL,
  currency      TEXT NOT NULL,
  amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
  reason        TEXT NOT NULL,
  payer_name    TEXT NOT NULL,
  payer_iban    TEXT NOT NULL,
  refunded_in   TEXT,
  PRIMARY KEY (client_id, hold_id),
  UNIQUE (client_id, payment_ref)
) WITHOUT ROWID;

CREATE TABLE client_terms (
  client_id                       INTEGER NOT NULL PRIMARY KEY REFERENCES clients(client_id),
  commission_bp                   INTEGER NOT NULL CHECK (commission_bp BETWEEN 0 AND 10000),
  agency_keeps_collection_costs   INTEGER NOT NULL,
  client_bears_uncollected_costs  INTEGER NOT NULL,
  client_can_deduct_vat           INTEGER NOT NULL,
  rhythm                          TEXT NOT NULL CHECK (rhythm IN ('daily', 'weekly', 'monthly')),
  min_remittance_minor            INTEGER NOT NULL,
  payout_name                     TEXT NOT NULL,
  payout_iban                     TEXT NOT NULL,
  payout_bic                      TEXT NOT NULL
) WITHOUT ROWID;

-- Read model for matching: the customer's open balance after the last posting.
CREATE TABLE case_balances (
  client_id   INTEGER NOT NULL,
  case_id     INTEGER NOT NULL,
  open_minor  INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  as_of       TEXT NOT NULL,
  PRIMARY KEY (client_id, case_id)
) WITHOUT ROWID;

INSERT INTO id_sequences(name, next_value) VALUES ('journal', 1), ('split', 1), ('remittance', 1),
  ('refund_hold', 1);
