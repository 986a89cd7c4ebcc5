-- Admin API tokens with a role: operator (every org), org_admin and org_viewer (one org), finance (one org, or
-- every org when org_id is null). Only the HMAC of a token's secret is kept; the token is shown once.
CREATE TABLE admin_tokens (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id TEXT,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX admin_tokens_org ON admin_tokens (org_id);
