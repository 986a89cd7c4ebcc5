-- usage_daily is now written by the 'request-log' projection, which reads each usage batch once for the request
-- log, sessions, invoices and usage_daily (two projections decoded every batch twice, docs/benchmarks.md).
-- The two stood at different offsets: the merged projection starts from the lower one (no offset: the start),
-- and each read model skips the rows at or before where it stood (its floor), so nothing is counted twice or
-- missed. The projection forgets a floor once it has passed it.
CREATE TABLE read_model_floors (
  read_model TEXT PRIMARY KEY,
  after_offset TEXT NOT NULL
);

INSERT INTO read_model_floors (read_model, after_offset)
  SELECT CASE projection_name WHEN 'usage-daily' THEN 'usage_daily' ELSE 'request_log' END, current_offset
  FROM pekko_projection_offset_store
  WHERE projection_name IN ('usage-daily', 'request-log') AND projection_key = 'journal';

-- Where a read model has no offset it is at the start, and so is the merged projection.
DELETE FROM pekko_projection_offset_store
  WHERE projection_name = 'request-log' AND projection_key = 'journal'
    AND NOT EXISTS (SELECT 1 FROM pekko_projection_offset_store
                    WHERE projection_name = 'usage-daily' AND projection_key = 'journal');

UPDATE pekko_projection_offset_store r SET current_offset = u.current_offset
  FROM pekko_projection_offset_store u
  WHERE r.projection_name = 'request-log' AND r.projection_key = 'journal'
    AND u.projection_name = 'usage-daily' AND u.projection_key = 'journal'
    AND (split_part(u.current_offset, ':', 1)::xid8, split_part(u.current_offset, ':', 2)::int8)
      < (split_part(r.current_offset, ':', 1)::xid8, split_part(r.current_offset, ':', 2)::int8);

DELETE FROM pekko_projection_offset_store WHERE projection_name = 'usage-daily';
