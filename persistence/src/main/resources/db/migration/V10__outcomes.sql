-- Business outcomes applications report (POST /v1/outcomes) and admins confirm or reject, projected from the
-- org's journal by the request log's projection (so they order with the sessions they belong to). The first
-- report of an id is kept; a repeat changes nothing.
CREATE TABLE outcomes (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  session TEXT,
  name TEXT NOT NULL,
  value_nanos BIGINT NOT NULL,
  metadata JSONB NOT NULL,
  key_id TEXT,
  -- the agent and customer the report named, else its session's
  agent TEXT,
  customer TEXT,
  reported_at TIMESTAMPTZ NOT NULL,
  -- recorded, confirmed or rejected
  status TEXT NOT NULL,
  reviewed_by TEXT,
  reviewed_at TIMESTAMPTZ,
  PRIMARY KEY (org_id, id)
);

CREATE INDEX outcomes_recent ON outcomes (org_id, reported_at DESC, id DESC);
CREATE INDEX outcomes_session ON outcomes (org_id, session) WHERE session IS NOT NULL;
