-- quitt schema 0004 (HTTP server, issue 7): users, API keys, sessions, the audit log,
-- idempotency keys and webhooks. client_id leads every key; agency staff (admin, supervisor,
-- agent) belong to no client and are stored with client_id 0.

CREATE TABLE users (
  client_id      INTEGER NOT NULL,
  user_id        INTEGER NOT NULL,
  username       TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent', 'client_user')),
  password_hash  TEXT NOT NULL,  -- libsodium crypto_pwhash_str (Argon2id, encoded with its parameters)
  created_at     TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (client_id, user_id)
) WITHOUT ROWID;

-- Keys of client systems. Only the SHA-256 of the key is kept (keys are 256 random bits, so a
-- slow hash adds nothing); `prefix` lets people tell keys apart.
CREATE TABLE api_keys (
  client_id   INTEGER NOT NULL REFERENCES clients(client_id),
  key_id      INTEGER NOT NULL,
  key_hash    TEXT NOT NULL UNIQUE,
  prefix      TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (client_id, key_id)
) WITHOUT ROWID;

-- Cookie sessions; the token and the CSRF token are stored as SHA-256 only.
CREATE TABLE sessions (
  client_id    INTEGER NOT NULL,
  token_hash   TEXT NOT NULL,
  user_id      INTEGER NOT NULL,
  csrf_hash    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  PRIMARY KEY (client_id, token_hash)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sessions_by_token ON sessions(token_hash);

-- Every write through the API: who, when, what, and how it ended.
CREATE TABLE audit_log (
  client_id   INTEGER NOT NULL,
  audit_id    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,   -- "POST /api/v1/claims"
  target      TEXT NOT NULL,   -- case number, claim reference, client code ...
  status      INTEGER NOT NULL,
  detail      TEXT NOT NULL,
  PRIMARY KEY (client_id, audit_id)
) WITHOUT ROWID;

-- The first response to a request with an Idempotency-Key header, per client.
CREATE TABLE idempotency_keys (
  client_id     INTEGER NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (client_id, key)
) WITHOUT ROWID;

CREATE TABLE webhook_endpoints (
  client_id    INTEGER NOT NULL REFERENCES clients(client_id),
  endpoint_id  INTEGER NOT NULL,
  url          TEXT NOT NULL,
  secret       TEXT NOT NULL,  -- HMAC-SHA256 key; needed in clear to sign
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (client_id, endpoint_id)
) WITHOUT ROWID;

-- The webhook outbox: one row per (endpoint, case event). Filled by a trigger in the same
-- transaction as the event, so every writer (CLI, API, daily run) feeds it and nothing is lost
-- on a crash; the server's delivery worker sends rows in seq order per case.
CREATE TABLE webhook_outbox (
  client_id        INTEGER NOT NULL,
  endpoint_id      INTEGER NOT NULL,
  case_id          INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  delivered_at     TEXT,
  last_error       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (client_id, endpoint_id, case_id, seq)
) WITHOUT ROWID;
CREATE INDEX webhook_outbox_pending ON webhook_outbox(next_attempt_at) WHERE delivered_at IS NULL;

CREATE TRIGGER case_events_to_webhook_outbox AFTER INSERT ON case_events
BEGIN
  INSERT INTO webhook_outbox(client_id, endpoint_id, case_id, seq, next_attempt_at)
  SELECT NEW.client_id, endpoint_id, NEW.case_id, NEW.seq, NEW.recorded_at
  FROM webhook_endpoints WHERE client_id = NEW.client_id AND active = 1;
END;

INSERT INTO id_sequences(name, next_value) VALUES ('user', 1), ('api_key', 1), ('audit', 1),
  ('webhook_endpoint', 1);
