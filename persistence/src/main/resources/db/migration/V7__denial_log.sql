-- The denial log: one row per request an org refused for a key the caller proved it holds, with why,
-- projected from the journal's refusal events (projection 'denial-log'), exactly once. Partitioned by the
-- month of the refusal (denial_log_y2026m11) and kept as long as the request log.
-- Refusals of unknown keys are only counted in the journal: a flood of made-up keys has no one to charge.
CREATE TABLE denial_log (
  org_id TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  request_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  provider TEXT,
  model TEXT,
  reason TEXT NOT NULL,
  status INT NOT NULL,
  -- the scope whose limit refused it (team:research) and the limit (monthly_budget_usd), when a limit did
  scope TEXT,
  limit_name TEXT,
  agent TEXT,
  session TEXT,
  customer TEXT,
  team TEXT,
  user_id TEXT,
  tags JSONB NOT NULL
) PARTITION BY RANGE (at);

CREATE INDEX denial_log_recent ON denial_log (org_id, at DESC, request_id DESC);

-- Refusals an org counted but could not keep in detail (more in one journal write than it keeps), per UTC day.
CREATE TABLE denial_log_dropped (
  org_id TEXT NOT NULL,
  day DATE NOT NULL,
  dropped BIGINT NOT NULL,
  PRIMARY KEY (org_id, day)
);
