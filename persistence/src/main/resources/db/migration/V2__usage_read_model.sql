-- The read model: spend per org and UTC day, by key, agent, team, customer, provider and model, projected
-- from the journal's usage batches. The hot path never reads it; the admin API and dashboards do.

-- Offsets of Pekko Projection JDBC (1.0.0, lower-case schema), written in the same transaction as the
-- rows they account for, so each usage batch is added exactly once.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);

CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);

-- Attribution the request did not give is '' (not NULL), so it still forms one group in the key.
CREATE TABLE usage_daily (
  org_id TEXT NOT NULL,
  day DATE NOT NULL,
  key_id TEXT NOT NULL,
  agent TEXT NOT NULL,
  team TEXT NOT NULL,
  customer TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  requests BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  estimated_requests BIGINT NOT NULL,
  unpriced_requests BIGINT NOT NULL,
  PRIMARY KEY (org_id, day, key_id, agent, team, customer, provider, model)
);
