-- quitt schema 0008: the case history stored in the order it is written.
-- Clustered by (client, case, seq), every event the daily run appends lands in the middle of the
-- B-tree: each full leaf page splits and is rewritten to the WAL, for every case of the run. In
-- append order (rowid) the rows fill pages at the end of the table, and only a short index entry
-- (client, case, seq) goes in the middle. The index keeps one seq per case unique, so two writers
-- racing on one case still collide exactly as before. The one table whose primary key is not led
-- by client_id: the rowid is the write order; the key by client is the unique index.

CREATE TABLE case_events_in_order (
  event_id        INTEGER PRIMARY KEY,
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
  hash            BLOB NOT NULL
);

INSERT INTO case_events_in_order(client_id, case_id, seq, type, schema_version, effective_date,
                                 recorded_at, actor, payload, previous_hash, hash)
SELECT client_id, case_id, seq, type, schema_version, effective_date, recorded_at, actor, payload,
       previous_hash, hash
FROM case_events ORDER BY client_id, case_id, seq;

DROP TRIGGER case_events_are_never_updated;
DROP TRIGGER case_events_are_never_deleted;
DROP TRIGGER case_events_to_webhook_outbox;
DROP TABLE case_events;
ALTER TABLE case_events_in_order RENAME TO case_events;

CREATE UNIQUE INDEX case_events_by_case ON case_events(client_id, case_id, seq);

CREATE TRIGGER case_events_are_never_updated BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'the case history is append-only'); END;
CREATE TRIGGER case_events_are_never_deleted BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'the case history is append-only'); END;

CREATE TRIGGER case_events_to_webhook_outbox AFTER INSERT ON case_events
BEGIN
  INSERT INTO webhook_outbox(client_id, endpoint_id, case_id, seq, next_attempt_at)
  SELECT NEW.client_id, endpoint_id, NEW.case_id, NEW.seq, NEW.recorded_at
  FROM webhook_endpoints WHERE client_id = NEW.client_id AND active = 1;
END;
