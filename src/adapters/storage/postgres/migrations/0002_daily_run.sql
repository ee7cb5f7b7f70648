-- quitt schema, version 2, PostgreSQL: the daily run (issue 4), mirroring
-- sqlite/migrations/0002_daily_run.sql: the collection read model, the outbox and the run
-- partitions. Every table keeps client_id in its primary key (distribution by client).
--
-- collection_state holds exactly what the strategy decision needs (workflow::CaseFacts). As in
-- SQLite its day columns are INTEGER days since 1970-01-01 and its facts small integers: the run
-- reads and writes every open case each day and compares numbers; the adapter maps them 1:1 to
-- CaseFacts. Only ids and money are BIGINT here.
CREATE TABLE collection_state (
  client_id            BIGINT NOT NULL,
  case_id              BIGINT NOT NULL,
  open                 BOOLEAN NOT NULL,          -- the run looks at it
  strategy_id          TEXT NOT NULL,             -- chosen at enrolment by customer kind
  strategy_version     INTEGER NOT NULL,
  customer_kind        INTEGER NOT NULL,          -- 0 consumer, 1 business
  country              INTEGER NOT NULL,          -- workflow::PackCountry
  currency             TEXT NOT NULL,
  balance_minor        BIGINT NOT NULL,
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
  synced_seq           BIGINT NOT NULL,
  next_check_on        INTEGER NOT NULL,          -- the run skips the case before this day
  PRIMARY KEY (client_id, case_id)
);
-- The run's scan: open rows of a client due by a day.
CREATE INDEX collection_state_due ON collection_state (client_id, next_check_on) WHERE open;

-- "Repeat customer": an earlier case of the same customer with the same client.
CREATE INDEX cases_by_customer ON cases (client_id, customer_id, case_id);

-- Outgoing actions for the channel adapters. message_key is stable (case, strategy, step, due
-- date), so a re-run can never queue an action twice and an adapter can deliver idempotently.
CREATE TABLE outbox (
  client_id     BIGINT NOT NULL,
  message_key   TEXT NOT NULL,
  case_id       BIGINT NOT NULL,
  case_number   TEXT NOT NULL,
  channel       TEXT NOT NULL,     -- workflow::ActionKindName: letter, email, sms, call, ...
  template      TEXT NOT NULL,     -- empty for actions without a document
  due_date      DATE NOT NULL,     -- the day the step became due
  run_date      DATE NOT NULL,     -- the run that queued it
  event_seq     BIGINT NOT NULL,   -- the step_taken event in the case history
  status        TEXT NOT NULL DEFAULT 'pending',
  created_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (client_id, message_key)
);

-- The daily run of one date, split per client into partitions (case_id modulo partitions) that
-- workers claim (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL). after_case is the resume
-- cursor inside a partition. Instants not set yet are NULL (SQLite: '').
CREATE TABLE run_partitions (
  client_id     BIGINT NOT NULL,
  as_of         DATE NOT NULL,
  partition_no  INTEGER NOT NULL,
  partitions    INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
  worker        TEXT NOT NULL DEFAULT '',
  lease_until   TIMESTAMPTZ,
  after_case    BIGINT NOT NULL DEFAULT 0,
  cases_seen    BIGINT NOT NULL DEFAULT 0,
  actions       BIGINT NOT NULL DEFAULT 0,
  started_at    TIMESTAMPTZ,
  finished_at   TIMESTAMPTZ,
  PRIMARY KEY (client_id, as_of, partition_no)
);
