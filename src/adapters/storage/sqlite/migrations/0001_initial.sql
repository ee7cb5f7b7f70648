-- quitt schema, version 1: clients, customers, cases, claims and the case history.
-- Every table carries client_id in its primary key so the schema can be distributed by client.
-- Money is INTEGER minor units plus a TEXT ISO 4217 currency; dates are TEXT 'YYYY-MM-DD';
-- instants are TEXT 'YYYY-MM-DDTHH:MM:SS.ffffffZ' in UTC.

CREATE TABLE id_sequences (
  name        TEXT PRIMARY KEY,
  next_value  INTEGER NOT NULL
);
INSERT INTO id_sequences(name, next_value) VALUES ('client', 1), ('customer', 1), ('case', 1), ('claim', 1);

CREATE TABLE clients (
  client_id   INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  country     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE customers (
  client_id     INTEGER NOT NULL REFERENCES clients(client_id),
  customer_id   INTEGER NOT NULL,
  customer_ref  TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('consumer', 'business')),
  name          TEXT NOT NULL,
  birth_date    TEXT,
  street        TEXT NOT NULL,
  postcode      TEXT NOT NULL,
  city          TEXT NOT NULL,
  country       TEXT NOT NULL,
  emails        TEXT NOT NULL,  -- JSON array of addresses
  phones        TEXT NOT NULL,  -- JSON array of E.164 numbers
  language      TEXT NOT NULL,
  iban          TEXT,
  PRIMARY KEY (client_id, customer_id),
  UNIQUE (client_id, customer_ref)
) WITHOUT ROWID;

-- Read model of a case, kept in the same transaction as its events.
CREATE TABLE cases (
  client_id        INTEGER NOT NULL REFERENCES clients(client_id),
  case_id          INTEGER NOT NULL,
  case_number      TEXT NOT NULL UNIQUE,
  customer_id      INTEGER NOT NULL,
  customer_name    TEXT NOT NULL,
  customer_kind    TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  currency         TEXT NOT NULL,
  principal_minor  INTEGER NOT NULL,
  claim_count      INTEGER NOT NULL,
  opened_on        TEXT NOT NULL,
  oldest_due_date  TEXT,
  last_seq         INTEGER NOT NULL,
  last_hash        BLOB NOT NULL,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (client_id, case_id)
) WITHOUT ROWID;

CREATE TABLE claims (
  client_id            INTEGER NOT NULL REFERENCES clients(client_id),
  claim_id             INTEGER NOT NULL,
  client_ref           TEXT NOT NULL,
  case_id              INTEGER NOT NULL,
  reason               TEXT NOT NULL,
  invoice_date         TEXT NOT NULL,
  due_date             TEXT NOT NULL,
  default_date         TEXT,
  default_basis        TEXT NOT NULL,
  obligation_date      TEXT,
  principal_minor      INTEGER NOT NULL,
  client_costs_minor   INTEGER NOT NULL,
  currency             TEXT NOT NULL,
  interest_statutory   INTEGER NOT NULL,
  contractual_rate_bp  INTEGER NOT NULL,
  remuneration_claim   INTEGER NOT NULL,
  consumer_credit      INTEGER NOT NULL,
  PRIMARY KEY (client_id, claim_id),
  UNIQUE (client_id, client_ref)
) WITHOUT ROWID;

-- The case history: append-only, hash-chained (see docs/formats/event-store.md).
CREATE TABLE case_events (
  client_id       INTEGER NOT NULL,
  case_id         INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  type            TEXT NOT NULL,
  schema_version  INTEGER NOT NULL,
  effective_date  TEXT NOT NULL,
  recorded_at     TEXT NOT NULL,
  actor           TEXT NOT NULL,
  payload         TEXT NOT NULL,
  previous_hash   BLOB NOT NULL,
  hash            BLOB NOT NULL,
  PRIMARY KEY (client_id, case_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER case_events_are_never_updated BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'the case history is append-only'); END;
CREATE TRIGGER case_events_are_never_deleted BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'the case history is append-only'); END;
