-- What is billed once however often it is read: a batch's results, a background response. The first request to
-- read the finished resource claims it and is billed; later reads are recorded at no cost.
CREATE TABLE billed_once (
  org_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  billed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (org_id, provider, resource_id)
);
