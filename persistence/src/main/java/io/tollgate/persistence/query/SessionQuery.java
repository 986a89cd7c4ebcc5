package io.tollgate.persistence.query;

import io.tollgate.persistence.query.LogFilter.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** An org's sessions from the sessions table, a page at a time, by recency or cost. Blocking. */
public final class SessionQuery {
  /** One session; {@code active} as of the query. */
  public record SessionSummary(String session, String agent, String customer, String user, long firstAtMillis,
      long lastAtMillis, long requests, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWriteTokens, long reasoningTokens, long costNanos, Long meanLatencyMillis, long errors,
      Long closedAtMillis, boolean active) {}

  /** The order of a listing: most recent request first, or most expensive first. */
  public enum Sort {
    TIME("last_at"), COST("cost_nanos");

    private final String column;

    Sort(String column) {
      this.column = column;
    }
  }

  /**
   * What to list; null does not filter. {@code from}/{@code to} bound the session's last request; {@code active}
   * true lists the active, false the completed.
   */
  public record Filter(Instant from, Instant to, String agent, String customer, String user, Boolean active) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null);
  }

  public record Page(List<SessionSummary> sessions, Cursor next) {}

  private final DataSource pool;

  public SessionQuery(DataSource pool) {
    this.pool = pool;
  }

  /** {@code idleSince}: a session without a request since then is completed. */
  public Page list(String orgId, Filter filter, Sort sort, int limit, Cursor after, Instant idleSince)
      throws SQLException {
    StringBuilder sql = new StringBuilder(select(idleSince)).append(" WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    Rows.condition(sql, args, "last_at >= ?", filter.from() == null ? null : filter.from().atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, "last_at < ?", filter.to() == null ? null : filter.to().atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, "agent = ?", filter.agent());
    Rows.condition(sql, args, "customer = ?", filter.customer());
    Rows.condition(sql, args, "user_id = ?", filter.user());
    if (filter.active() != null) {
      sql.append(filter.active() ? " AND " : " AND NOT ").append("(closed_at IS NULL AND last_at >= ?)");
      args.add(idleSince.atOffset(ZoneOffset.UTC));
    }
    if (after != null) {
      sql.append(" AND (").append(sort.column).append(", session) < (?, ?)");
      args.add(sort == Sort.TIME ? Instant.ofEpochMilli(after.atMillis()).atOffset(ZoneOffset.UTC) : after.atMillis());
      args.add(after.id());
    }
    sql.append(" ORDER BY ").append(sort.column).append(" DESC, session DESC LIMIT ?");
    args.add(limit + 1);
    return Rows.page(Rows.read(pool, sql.toString(), args, SessionQuery::row), limit,
        last -> new Cursor(sort == Sort.TIME ? last.lastAtMillis() : last.costNanos(), last.session()), Page::new);
  }

  public Optional<SessionSummary> one(String orgId, String session, Instant idleSince) throws SQLException {
    return Rows.read(pool, select(idleSince) + " WHERE org_id = ? AND session = ?", List.of(orgId, session),
        SessionQuery::row).stream().findFirst();
  }

  private static String select(Instant idleSince) {
    // The instant is ours (the node's clock), never the caller's text.
    return "SELECT session, agent, customer, user_id, first_at, last_at, requests, input_tokens, output_tokens,"
        + " cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_nanos,"
        + " CASE WHEN timed_requests > 0 THEN latency_ms / timed_requests END, errors, closed_at,"
        + " closed_at IS NULL AND last_at >= '" + idleSince + "'::timestamptz FROM sessions";
  }

  private static SessionSummary row(ResultSet rs) throws SQLException {
    int i = 1;
    return new SessionSummary(rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        rs.getTimestamp(i++).getTime(), rs.getTimestamp(i++).getTime(), rs.getLong(i++), rs.getLong(i++),
        rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), Rows.nullableLong(rs, i++),
        rs.getLong(i++), Rows.nullableMillis(rs, i), rs.getBoolean(i + 1));
  }
}
