-- Each journal row records the id of the transaction that wrote it, so the usage read model can read the
-- journal in commit order without tags: rows of transactions older than every transaction still running
-- (pg_snapshot_xmin) can no longer be joined by a row that sorts before them. Needs PostgreSQL 13 or later.
-- The journal's inserts do not name the column; the default fills it.
ALTER TABLE event_journal ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE INDEX event_journal_tx_idx ON event_journal (tx_id, ordering);
