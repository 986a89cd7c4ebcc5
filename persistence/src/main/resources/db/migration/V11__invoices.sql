-- Invoices per org and UTC month of admission, summed by the request log's projection in the same
-- transaction as the log: the terms of each request's cost (tokens of one class at one rate) per customer,
-- provider, model, class, rate and price source, and the recorded costs themselves, so an invoice's total is
-- the sum of the recorded costs exactly (the difference of the lines' rounding is shown as its own line).
CREATE TABLE invoice_lines (
  org_id TEXT NOT NULL,
  month DATE NOT NULL,
  -- '' for requests that named no customer
  customer TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  token_class TEXT NOT NULL,
  rate_per_mtok BIGINT NOT NULL,
  price_source TEXT NOT NULL,
  tokens NUMERIC NOT NULL,
  -- the sum of tokens × rate: nano-USD per million tokens, exact
  amount_nano_mtok NUMERIC NOT NULL,
  PRIMARY KEY (org_id, month, customer, provider, model, token_class, rate_per_mtok, price_source)
);

CREATE TABLE invoice_costs (
  org_id TEXT NOT NULL,
  month DATE NOT NULL,
  customer TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  requests BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  -- requests journaled before their terms were kept: their cost is in cost_nanos, not in any line
  unitemized_requests BIGINT NOT NULL,
  unpriced_requests BIGINT NOT NULL,
  PRIMARY KEY (org_id, month, customer, provider, model)
);
