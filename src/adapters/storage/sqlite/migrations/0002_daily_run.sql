-- quitt schema, version 2: the daily run (issue 4). The collection read model, the outbox and the
-- run partitions. Every table keeps client_id in its primary key (distribution by client).
--
-- collection_state holds exactly what the strategy decision needs (workflow::CaseFacts), kept in
-- the same transaction as the case events, so the run never folds a history. Dates here are
-- INTEGER days since 1970-01-01 (not text like elsewhere): the run reads and writes every open
-- case each day and integers are what the decision compares. synced_seq is the last event of the
-- case the row reflects; a case whose cases.last_seq differs (a note, a new claim) is rebuilt
-- from its history before the run.
CREATE TABLE collection_state (
  client_id            INTEGER NOT NULL,
  case_id              INTEGER NOT NULL,
  open                 INTEGER NOT NULL,          -- 1: the run looks at it
  strategy_id          TEXT NOT NULL,             -- chosen at enrolment by customer kind
  strategy_version     INTEGER NOT NULL,
  customer_kind        INTEGER NOT NULL,          -- 0 consumer, 1 business
  country              INTEGER NOT NULL,          -- workflow::PackCountry
  currency             TEXT NOT NULL,
  balance_minor        INTEGER NOT NULL,
  overdue_since        INTEGER NOT NULL,
  handed_over          INTEGER NOT NULL,
  repeat_customer      INTEGER NOT NULL,
  channels             INTEGER NOT NULL,          -- workflow::ChannelSet bits
  disputed             INTEGER NOT NULL,
  hardship             INTEGER NOT NULL,
  variant              INTEGER NOT NULL,          -- -1: not assigned yet
  current_step         INTEGER NOT NULL,
  current_step_on      INTEGER NOT NULL,
  resume_step          INTEGER NOT NULL,
  resume_due           INTEGER NOT NULL,
  arrangement          INTEGER NOT NULL,          -- 0 none, 1 promise, 2 plan
  arrangement_due      INTEGER NOT NULL,          -- earliest unpaid promise/instalment
  arrangement_paid     INTEGER NOT NULL,          -- every amount paid
  arrangement_ends_on  INTEGER NOT NULL,
  synced_seq           INTEGER NOT NULL,
  next_check_on        INTEGER NOT NULL,          -- the run skips the case before this day
  PRIMARY KEY (client_id, case_id)
) WITHOUT ROWID;

-- "Repeat customer": an earlier case of the same customer with the same client.
CREATE INDEX cases_by_customer ON cases(client_id, customer_id, case_id);

-- Outgoing actions for the channel adapters. message_key is stable (case, strategy, step, due
-- date), so a re-run can never queue an action twice and an adapter can deliver idempotently.
CREATE TABLE outbox (
  client_id     INTEGER NOT NULL,
  message_key   TEXT NOT NULL,
  case_id       INTEGER NOT NULL,
  case_number   TEXT NOT NULL,
  channel       TEXT NOT NULL,     -- workflow::ActionKindName: letter, email, sms, call, ...
  template      TEXT NOT NULL,     -- empty for actions without a document
  due_date      TEXT NOT NULL,     -- the day the step became due
  run_date      TEXT NOT NULL,     -- the run that queued it
  event_seq     INTEGER NOT NULL,  -- the step_taken event in the case history
  status        TEXT NOT NULL DEFAULT 'pending',
  created_at    TEXT NOT NULL,
  PRIMARY KEY (client_id, message_key)
) WITHOUT ROWID;

-- The daily run of one date, split per client into partitions (blocks of 1,024 case ids modulo
-- partitions, app::RunPartitionOf) that workers claim. after_case is the resume cursor inside a
-- partition.
CREATE TABLE run_partitions (
  client_id     INTEGER NOT NULL,
  as_of         TEXT NOT NULL,
  partition_no  INTEGER NOT NULL,
  partitions    INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
  worker        TEXT NOT NULL DEFAULT '',
  lease_until   TEXT NOT NULL DEFAULT '',
  after_case    INTEGER NOT NULL DEFAULT 0,
  cases_seen    INTEGER NOT NULL DEFAULT 0,
  actions       INTEGER NOT NULL DEFAULT 0,
  started_at    TEXT NOT NULL DEFAULT '',
  finished_at   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (client_id, as_of, partition_no)
) WITHOUT ROWID;
