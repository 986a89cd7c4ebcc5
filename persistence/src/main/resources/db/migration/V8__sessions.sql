-- Sessions: one row per org and session id (X-Session-ID), summed from the request log's records by the same
-- projection in the same transaction ('request-log'), so they agree with it exactly. Whether a session is
-- active or completed is decided when read: completed once closed by the API (until its next request) or
-- after TOLLGATE_SESSION_IDLE without a request.
CREATE TABLE sessions (
  org_id TEXT NOT NULL,
  session TEXT NOT NULL,
  -- the first agent, customer and user its requests named
  agent TEXT,
  customer TEXT,
  user_id TEXT,
  first_at TIMESTAMPTZ NOT NULL,
  last_at TIMESTAMPTZ NOT NULL,
  requests BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  -- the sum of its requests' latencies, and how many had one: the mean is their quotient
  latency_ms BIGINT NOT NULL,
  timed_requests BIGINT NOT NULL,
  -- requests that did not complete with a 2xx
  errors BIGINT NOT NULL,
  closed_at TIMESTAMPTZ,
  PRIMARY KEY (org_id, session)
);

CREATE INDEX sessions_recent ON sessions (org_id, last_at DESC, session DESC);
CREATE INDEX sessions_costly ON sessions (org_id, cost_nanos DESC, session DESC);
