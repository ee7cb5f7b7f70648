-- quitt schema 0004, PostgreSQL (HTTP server, issue 7), mirroring sqlite/migrations/0004_auth.sql:
-- users, API keys, sessions, the audit log, idempotency keys and webhooks. client_id leads every
-- key; agency staff (admin, supervisor, agent) belong to no client and are stored with client_id 0.

CREATE TABLE users (
  client_id      BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  username       TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent', 'client_user')),
  password_hash  TEXT NOT NULL,  -- libsodium crypto_pwhash_str (Argon2id, encoded with its parameters)
  created_at     TIMESTAMPTZ NOT NULL,
  disabled       BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (client_id, user_id)
);

-- Keys of client systems. Only the SHA-256 of the key is kept (keys are 256 random bits, so a
-- slow hash adds nothing); `prefix` lets people tell keys apart.
CREATE TABLE api_keys (
  client_id   BIGINT NOT NULL REFERENCES clients(client_id),
  key_id      BIGINT NOT NULL,
  key_hash    TEXT NOT NULL UNIQUE,
  prefix      TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  revoked     BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (client_id, key_id)
);

-- Cookie sessions; the token and the CSRF token are stored as SHA-256 only.
CREATE TABLE sessions (
  client_id    BIGINT NOT NULL,
  token_hash   TEXT NOT NULL,
  user_id      BIGINT NOT NULL,
  csrf_hash    TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (client_id, token_hash)
);
CREATE UNIQUE INDEX sessions_by_token ON sessions (token_hash);

-- Every write through the API: who, when, what, and how it ended.
CREATE TABLE audit_log (
  client_id   BIGINT NOT NULL,
  audit_id    BIGINT NOT NULL,
  at          TIMESTAMPTZ NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,   -- "POST /api/v1/claims"
  target      TEXT NOT NULL,   -- case number, claim reference, client code ...
  status      INTEGER NOT NULL,
  detail      TEXT NOT NULL,
  PRIMARY KEY (client_id, audit_id)
);

-- The first response to a request with an Idempotency-Key header, per client.
CREATE TABLE idempotency_keys (
  client_id     BIGINT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (client_id, key)
);

CREATE TABLE webhook_endpoints (
  client_id    BIGINT NOT NULL REFERENCES clients(client_id),
  endpoint_id  BIGINT NOT NULL,
  url          TEXT NOT NULL,
  secret       TEXT NOT NULL,  -- HMAC-SHA256 key; needed in clear to sign
  active       BOOLEAN NOT NULL DEFAULT true,
  created_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (client_id, endpoint_id)
);

-- The webhook outbox: one row per (endpoint, case event). Filled by a trigger in the same
-- transaction as the event, so every writer (CLI, API, daily run) feeds it and nothing is lost
-- on a crash; the server's delivery worker sends rows in seq order per case.
CREATE TABLE webhook_outbox (
  client_id        BIGINT NOT NULL,
  endpoint_id      BIGINT NOT NULL,
  case_id          BIGINT NOT NULL,
  seq              BIGINT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  delivered_at     TIMESTAMPTZ,
  last_error       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (client_id, endpoint_id, case_id, seq)
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- A statement trigger with a transition table: one INSERT ... SELECT per COPY or INSERT of
-- events, not one per row, so bulk imports stay fast. (SQLite does it per row.)
CREATE FUNCTION quitt_case_events_to_webhook_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_outbox(client_id, endpoint_id, case_id, seq, next_attempt_at)
  SELECT e.client_id, w.endpoint_id, e.case_id, e.seq, e.recorded_at
  FROM new_events e JOIN webhook_endpoints w ON w.client_id = e.client_id AND w.active;
  RETURN NULL;
END $$;
CREATE TRIGGER case_events_to_webhook_outbox AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION quitt_case_events_to_webhook_outbox();

-- SQLite keeps these counters in id_sequences; here they are sequences for quitt_reserve_ids.
CREATE SEQUENCE user_ids;
CREATE SEQUENCE api_key_ids;
CREATE SEQUENCE audit_ids;
CREATE SEQUENCE webhook_endpoint_ids;
