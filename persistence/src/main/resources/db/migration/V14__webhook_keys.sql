-- Keys with an expiry, kept by the 'webhooks' projection, so that key.expiring can be sent seven days ahead
-- by whichever node looks, whether or not the key's org is in memory anywhere.
CREATE TABLE webhook_keys (
  org_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  name TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  PRIMARY KEY (org_id, key_id)
);
CREATE INDEX webhook_keys_expiring ON webhook_keys (expires_at) WHERE revoked_at IS NULL;
