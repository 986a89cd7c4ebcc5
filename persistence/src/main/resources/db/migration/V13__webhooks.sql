-- Webhooks. The 'webhooks' projection keeps each org's endpoints as its journal has them and queues one
-- delivery per event per endpoint that takes it, exactly once (rows and offset commit together); any node
-- sends what is due, claiming it for a while so that no two send it at once, and a claim left by a node that
-- died runs out and the delivery is sent again, with the same message id.
CREATE TABLE webhook_endpoints (
  org_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  url TEXT NOT NULL,
  format TEXT NOT NULL,
  secret TEXT NOT NULL,
  -- empty: every type
  events TEXT[] NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  -- a removed endpoint takes nothing new; what was queued for it is still sent
  removed_at TIMESTAMPTZ,
  PRIMARY KEY (org_id, webhook_id)
);

CREATE TABLE webhook_deliveries (
  org_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  -- the webhook-id header: the same on every attempt and in every copy of the same event
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  -- the body exactly as sent and signed
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  -- pending, delivered or failed (gave up after the last retry)
  status TEXT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  claimed_until TIMESTAMPTZ,
  delivered_at TIMESTAMPTZ,
  PRIMARY KEY (org_id, webhook_id, message_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (org_id, webhook_id, created_at DESC);

CREATE TABLE webhook_attempts (
  org_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  attempt INT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  -- null when no answer came (refused, timed out, not allowed)
  status_code INT,
  latency_ms BIGINT NOT NULL,
  error TEXT,
  PRIMARY KEY (org_id, webhook_id, message_id, attempt),
  FOREIGN KEY (org_id, webhook_id, message_id) REFERENCES webhook_deliveries ON DELETE CASCADE
);
