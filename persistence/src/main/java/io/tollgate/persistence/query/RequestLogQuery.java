package io.tollgate.persistence.query;

import io.tollgate.persistence.query.LogFilter.Cursor;
import io.tollgate.protocol.RequestIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** An org's requests from the request log, newest first, a page at a time. Blocking: run it off the actor threads. */
public final class RequestLogQuery {
  /**
   * One request as logged; nullable fields are absent from older records or were not given.
   *
   * @param attemptsJson the tries that did not serve it, a JSON array; null when the first try answered
   * @param savedCostNanos served from the response cache: what the answer cost when it was made; else null
   */
  public record LoggedRequest(String requestId, String reservation, long admittedAtMillis, long finishedAtMillis,
      String keyId, String provider, String api, String model, int status, String outcome, long inputTokens,
      long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens, long costNanos,
      Long providerCostNanos, String priceSource, Long latencyMillis, Long upstreamMillis, boolean estimated,
      boolean unpriced, List<String> overLimits, String agent, String session, String customer, String team,
      String user, Map<String, String> tags, String attemptsJson, Long savedCostNanos) {}

  /**
   * What the requests a filter selects came to: how many, how many did not complete with a 2xx, and the total
   * latency's median and 95th percentile over those that recorded one (null when none did).
   */
  public record Stats(long requests, long errors, Long latencyP50Millis, Long latencyP95Millis) {}

  /** A page of requests and the cursor of the next (null on the last). */
  public record Page(List<LoggedRequest> requests, Cursor next) {}

  private static final String COLUMNS = "request_id, reservation, admitted_at, finished_at, key_id, provider, api, model,"
      + " status, outcome, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,"
      + " cost_nanos, provider_cost_nanos, price_source, latency_ms, upstream_ms, estimated, unpriced, over_limits,"
      + " agent, session, customer, team, user_id, tags::text, attempts::text, saved_cost_nanos";

  /** How far from the time in its id a request may have been admitted (clocks of nodes, asks again). */
  private static final Duration SEARCH_AROUND = Duration.ofMinutes(10);

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
    return Rows.page(Rows.read(pool, sql.toString(), args, RequestLogQuery::row), limit,
        last -> new Cursor(last.admittedAtMillis(), last.reservation()), Page::new);
  }

  /** The figures of the requests {@code filter} selects; bound its time, since it reads every one of them. */
  public Stats stats(String orgId, LogFilter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT count(*), count(*) FILTER (WHERE status NOT BETWEEN 200 AND 299),"
        + " percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms),"
        + " percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM request_log WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    filter.where(sql, args, "admitted_at", "reservation", null);
    return Rows.read(pool, sql.toString(), args, rs -> new Stats(rs.getLong(1), rs.getLong(2),
        Rows.nullableLong(rs, 3), Rows.nullableLong(rs, 4))).get(0);
  }

  /**
   * The requests with this id, newest first: one, unless the same id was logged twice. A gateway-made id says
   * when the request came: it is looked for around then, through the time index.
   */
  public List<LoggedRequest> byRequestId(String orgId, String requestId) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM request_log WHERE org_id = ? AND request_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId, requestId));
    Optional<Long> received = RequestIds.receivedAt(requestId);
    if (received.isPresent()) {
      sql.append(" AND admitted_at BETWEEN ? AND ?");
      args.add(Instant.ofEpochMilli(received.get()).minus(SEARCH_AROUND).atOffset(ZoneOffset.UTC));
      args.add(Instant.ofEpochMilli(received.get()).plus(SEARCH_AROUND).atOffset(ZoneOffset.UTC));
    }
    sql.append(" ORDER BY admitted_at DESC, reservation DESC LIMIT 100");
    return Rows.read(pool, sql.toString(), args, RequestLogQuery::row);
  }

  /** A session's requests from its first to its last, in the order they came, the first {@code limit} of them. */
  public List<LoggedRequest> bySession(String orgId, String session, long firstMillis, long lastMillis, int limit)
      throws SQLException {
    return Rows.read(pool, "SELECT " + COLUMNS + " FROM request_log WHERE org_id = ? AND session = ?"
        + " AND admitted_at BETWEEN ? AND ? ORDER BY admitted_at, reservation LIMIT ?",
        List.of(orgId, session, Instant.ofEpochMilli(firstMillis).atOffset(ZoneOffset.UTC),
            Instant.ofEpochMilli(lastMillis).atOffset(ZoneOffset.UTC), limit), RequestLogQuery::row);
  }

  private static LoggedRequest row(ResultSet rs) throws SQLException {
    int i = 1;
    return new LoggedRequest(rs.getString(i++), rs.getString(i++), rs.getTimestamp(i++).getTime(),
        rs.getTimestamp(i++).getTime(), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        rs.getInt(i++), rs.getString(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
        rs.getLong(i++), rs.getLong(i++), Rows.nullableLong(rs, i++), rs.getString(i++), Rows.nullableLong(rs, i++),
        Rows.nullableLong(rs, i++), rs.getBoolean(i++), rs.getBoolean(i++), Rows.texts(rs.getArray(i++)),
        rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        Json.tags(rs.getString(i++)), rs.getString(i++), Rows.nullableLong(rs, i));
  }
}
