-- The usage read model is rebuilt from the journal: until this version its reader sorted the journal's
-- transaction ids as text, so once they grew a digit (9999 -> 10000) it skipped some usage batches and
-- counted others twice. The journal itself was always right; the projection replays it from the start.
TRUNCATE usage_daily;
DELETE FROM pekko_projection_offset_store WHERE projection_name = 'usage-daily';
