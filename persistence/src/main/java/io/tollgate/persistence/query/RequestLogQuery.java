package io.tollgate.persistence.query;

import io.tollgate.persistence.query.LogFilter.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** An org's requests from the request log, newest first, a page at a time. Blocking: run it off the actor threads. */
public final class RequestLogQuery {
  /** One request as logged; nullable fields are absent from older records or were not given. */
  public record LoggedRequest(String requestId, String reservation, long admittedAtMillis, long finishedAtMillis,
      String keyId, String provider, String api, String model, int status, String outcome, long inputTokens,
      long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens, long costNanos,
      Long providerCostNanos, String priceSource, Long latencyMillis, Long upstreamMillis, boolean estimated,
      boolean unpriced, List<String> overLimits, String agent, String session, String customer, String team,
      String user, Map<String, String> tags) {}

  /** A page of requests and the cursor of the next (null on the last). */
  public record Page(List<LoggedRequest> requests, Cursor next) {}

  private static final String COLUMNS = "request_id, reservation, admitted_at, finished_at, key_id, provider, api, model,"
      + " status, outcome, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,"
      + " cost_nanos, provider_cost_nanos, price_source, latency_ms, upstream_ms, estimated, unpriced, over_limits,"
      + " agent, session, customer, team, user_id, tags::text";

  private final DataSource pool;

  public RequestLogQuery(DataSource pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} requests after {@code after} (null: from the newest). */
  public Page list(String orgId, LogFilter filter, int limit, Cursor after) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM request_log WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    filter.where(sql, args, "admitted_at", "reservation", after);
    sql.append(" ORDER BY admitted_at DESC, reservation DESC LIMIT ?");
    args.add(limit + 1);
    List<LoggedRequest> rows = Rows.read(pool, sql.toString(), args, RequestLogQuery::row);
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    LoggedRequest last = rows.get(limit - 1);
    return new Page(rows.subList(0, limit), new Cursor(last.admittedAtMillis(), last.reservation()));
  }

  /** The requests with this id, newest first: one, unless the same id was logged twice. */
  public List<LoggedRequest> byRequestId(String orgId, String requestId) throws SQLException {
    return Rows.read(pool, "SELECT " + COLUMNS + " FROM request_log WHERE org_id = ? AND request_id = ?"
        + " ORDER BY admitted_at DESC, reservation DESC LIMIT 100", List.of(orgId, requestId), RequestLogQuery::row);
  }

  /** A session's requests in the order they came, the first {@code limit} of them. */
  public List<LoggedRequest> bySession(String orgId, String session, int limit) throws SQLException {
    return Rows.read(pool, "SELECT " + COLUMNS + " FROM request_log WHERE org_id = ? AND session = ?"
        + " ORDER BY admitted_at, reservation LIMIT ?", List.of(orgId, session, limit), RequestLogQuery::row);
  }

  private static LoggedRequest row(ResultSet rs) throws SQLException {
    int i = 1;
    return new LoggedRequest(rs.getString(i++), rs.getString(i++), rs.getTimestamp(i++).getTime(),
        rs.getTimestamp(i++).getTime(), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        rs.getInt(i++), rs.getString(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
        rs.getLong(i++), rs.getLong(i++), Rows.nullableLong(rs, i++), rs.getString(i++), Rows.nullableLong(rs, i++),
        Rows.nullableLong(rs, i++), rs.getBoolean(i++), rs.getBoolean(i++), Rows.texts(rs.getArray(i++)),
        rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        Json.tags(rs.getString(i)));
  }
}
