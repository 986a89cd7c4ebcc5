-- The tries of a request's call that did not serve it (retries on another deployment, fallbacks to another
-- model), as a JSON array; null when the first try answered, as almost every request's did.
ALTER TABLE request_log ADD COLUMN attempts jsonb;
