-- Answers kept for Idempotency-Key, shared by the cluster: a key is claimed ('pending') by the request that
-- first carries it, and its answer stored ('done') for repeats until it expires. The body is gzip-compressed.
CREATE TABLE idempotency (
  org_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash BYTEA NOT NULL,
  state TEXT NOT NULL,
  claimed_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  request_id TEXT,
  status INT,
  content_type TEXT,
  headers TEXT,
  body BYTEA,
  PRIMARY KEY (org_id, idem_key)
);
CREATE INDEX idempotency_expires ON idempotency (expires_at);
