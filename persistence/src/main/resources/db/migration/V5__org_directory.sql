-- Every org's first event (its creation) in id order, so the admin API can list orgs a page at a time
-- without reading their whole journals.
CREATE INDEX event_journal_first_event_idx ON event_journal (persistence_id) WHERE sequence_number = 1;
