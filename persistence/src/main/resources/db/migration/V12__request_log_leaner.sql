-- Every index of the request log is written once per request, and the log's inserts were the database's
-- busiest statement at saturation (docs/benchmarks.md). A request is found by its id through the time index
-- (the gateway's ids carry the time they were made), and a session's requests through the time index
-- within the session's first and last request: these two indexes are not needed.
DROP INDEX IF EXISTS request_log_request_id;
DROP INDEX IF EXISTS request_log_session;
