-- The exact response cache, shared by the cluster: an org's answer to a request, by the hash of the request's
-- canonical form (provider, path, and its JSON body with sorted keys), until it expires. gzip-compressed.
CREATE TABLE response_cache (
  org_id TEXT NOT NULL,
  cache_key BYTEA NOT NULL,
  status INT NOT NULL,
  content_type TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BYTEA NOT NULL,
  model TEXT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (org_id, cache_key)
);
CREATE INDEX response_cache_expires ON response_cache (expires_at);
-- What an answer from the cache saved: the cost of the answer when it was made (null for any other request).
ALTER TABLE request_log ADD COLUMN saved_cost_nanos BIGINT;
