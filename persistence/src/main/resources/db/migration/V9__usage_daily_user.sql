-- usage_daily gains the end user, one more dimension of its key. The rows so far were summed without it, so
-- the read model is rebuilt from the journal (which always had it): emptied here, re-projected from the
-- start by the next node to run the 'usage-daily' projection.
ALTER TABLE usage_daily ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE usage_daily DROP CONSTRAINT usage_daily_pkey;
ALTER TABLE usage_daily ADD PRIMARY KEY (org_id, day, key_id, agent, team, customer, user_id, provider, model);
ALTER TABLE usage_daily ALTER COLUMN user_id DROP DEFAULT;
TRUNCATE usage_daily;
DELETE FROM pekko_projection_offset_store WHERE projection_name = 'usage-daily';
