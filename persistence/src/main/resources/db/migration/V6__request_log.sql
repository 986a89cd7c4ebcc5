-- The request log: one row per admitted request, projected from the journal's usage batches (projection
-- 'request-log'), exactly once: rows and offset commit together. Partitioned by the month of admission, UTC:
-- request_log_y2026m11 and so on, made by the projection as months come; retention drops whole months.
-- Attribution a request did not give is NULL here (usage_daily, a grouping, uses '').
CREATE TABLE request_log (
  org_id TEXT NOT NULL,
  admitted_at TIMESTAMPTZ NOT NULL,
  -- "<incarnation>:<seq>" of the org actor's admission: unique, and the tie-breaker of the order
  reservation TEXT NOT NULL,
  -- the X-Request-ID, the client's own or the gateway's
  request_id TEXT NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  key_id TEXT,
  provider TEXT NOT NULL,
  api TEXT,
  model TEXT NOT NULL,
  status INT NOT NULL,
  outcome TEXT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  provider_cost_nanos BIGINT,
  price_source TEXT,
  latency_ms BIGINT,
  upstream_ms BIGINT,
  estimated BOOLEAN NOT NULL,
  unpriced BOOLEAN NOT NULL,
  over_limits TEXT[] NOT NULL,
  agent TEXT,
  session TEXT,
  customer TEXT,
  team TEXT,
  user_id TEXT,
  tags JSONB NOT NULL
) PARTITION BY RANGE (admitted_at);

-- Newest first within an org, the order of every listing; the other filters narrow that walk.
CREATE INDEX request_log_recent ON request_log (org_id, admitted_at DESC, reservation DESC);
CREATE INDEX request_log_request_id ON request_log (org_id, request_id);
CREATE INDEX request_log_session ON request_log (org_id, session, admitted_at) WHERE session IS NOT NULL;
