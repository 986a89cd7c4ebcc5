-- Every admin change of an org (who, which token, what, before -> after, when), projected from the org's journal
-- by the request log's projection. Kept as long as the org's journal: an audit trail is not trimmed.
CREATE TABLE audit_log (
  org_id TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  seq BIGSERIAL,
  token_id TEXT NOT NULL,
  token_name TEXT,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  status INT NOT NULL,
  before JSONB,
  after JSONB,
  PRIMARY KEY (org_id, at, seq)
);
