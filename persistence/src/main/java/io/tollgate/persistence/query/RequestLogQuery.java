package io.tollgate.persistence.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** An org's requests from the request log, newest first, a page at a time. Blocking: run it off the actor threads. */
public final class RequestLogQuery {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to list; a null field does not filter. {@code from} is included, {@code to} is not; {@code statusClass}
   * is the first digit of the status (4 for 4xx), used when {@code status} is null; a {@code model} ending in
   * {@code *} matches every model it begins.
   */
  public record Filter(Instant from, Instant to, String key, String agent, String session, String customer,
      String team, String user, String model, String provider, Integer status, Integer statusClass, String outcome,
      Map<String, String> tags) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null, null, null, null, null, null,
        null, Map.of());
  }

  /** Where the next page starts: after this request in the order (newest first). */
  public record Cursor(long admittedAtMillis, String reservation) {
    public String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((admittedAtMillis + "|" + reservation).getBytes(StandardCharsets.UTF_8));
    }

    /** Null if the text is not a cursor this query gave out. */
    public static Cursor decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int bar = plain.indexOf('|');
        return bar < 0 ? null : new Cursor(Long.parseLong(plain.substring(0, bar)), plain.substring(bar + 1));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

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
  public Page list(String orgId, Filter filter, int limit, Cursor after) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM request_log WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    condition(sql, args, "admitted_at >= ?", filter.from() == null ? null : filter.from().atOffset(ZoneOffset.UTC));
    condition(sql, args, "admitted_at < ?", filter.to() == null ? null : filter.to().atOffset(ZoneOffset.UTC));
    condition(sql, args, "key_id = ?", filter.key());
    condition(sql, args, "agent = ?", filter.agent());
    condition(sql, args, "session = ?", filter.session());
    condition(sql, args, "customer = ?", filter.customer());
    condition(sql, args, "team = ?", filter.team());
    condition(sql, args, "user_id = ?", filter.user());
    if (filter.model() != null && filter.model().endsWith("*")) { // a pattern, as in limits: "claude-opus*"
      String prefix = filter.model().substring(0, filter.model().length() - 1);
      condition(sql, args, "model LIKE ? ESCAPE '\\'", prefix.replaceAll("([\\\\%_])", "\\\\$1") + "%");
    } else {
      condition(sql, args, "model = ?", filter.model());
    }
    condition(sql, args, "provider = ?", filter.provider());
    condition(sql, args, "status = ?", filter.status());
    condition(sql, args, "status / 100 = ?", filter.status() == null ? filter.statusClass() : null);
    condition(sql, args, "outcome = ?", filter.outcome());
    condition(sql, args, "tags @> ?::jsonb", filter.tags().isEmpty() ? null : json(filter.tags()));
    if (after != null) {
      sql.append(" AND (admitted_at, reservation) < (?, ?)");
      args.add(Instant.ofEpochMilli(after.admittedAtMillis()).atOffset(ZoneOffset.UTC));
      args.add(after.reservation());
    }
    sql.append(" ORDER BY admitted_at DESC, reservation DESC LIMIT ?");
    args.add(limit + 1);
    List<LoggedRequest> rows = read(sql.toString(), args);
    if (rows.size() <= limit) {
      return new Page(rows, null);
    }
    LoggedRequest last = rows.get(limit - 1);
    return new Page(rows.subList(0, limit), new Cursor(last.admittedAtMillis(), last.reservation()));
  }

  /** The requests with this id, newest first: one, unless clients reused an {@code X-Request-ID}. */
  public List<LoggedRequest> byRequestId(String orgId, String requestId) throws SQLException {
    return read("SELECT " + COLUMNS + " FROM request_log WHERE org_id = ? AND request_id = ?"
        + " ORDER BY admitted_at DESC, reservation DESC LIMIT 100", List.of(orgId, requestId));
  }

  private static void condition(StringBuilder sql, List<Object> args, String test, Object value) {
    if (value != null) {
      sql.append(" AND ").append(test);
      args.add(value);
    }
  }

  private List<LoggedRequest> read(String sql, List<Object> args) throws SQLException {
    List<LoggedRequest> rows = new ArrayList<>();
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    return rows;
  }

  private static LoggedRequest row(ResultSet rs) throws SQLException {
    int i = 1;
    return new LoggedRequest(rs.getString(i++), rs.getString(i++), rs.getTimestamp(i++).getTime(),
        rs.getTimestamp(i++).getTime(), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        rs.getInt(i++), rs.getString(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
        rs.getLong(i++), rs.getLong(i++), nullableLong(rs, i++), rs.getString(i++), nullableLong(rs, i++),
        nullableLong(rs, i++), rs.getBoolean(i++), rs.getBoolean(i++), texts(rs.getArray(i++)), rs.getString(i++),
        rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), tags(rs.getString(i)));
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static List<String> texts(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> tags(String json) {
    try {
      return json == null ? Map.of() : JSON.readValue(json, LinkedHashMap.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request log row's tags are not JSON", e);
    }
  }

  private static String json(Map<String, String> tags) {
    try {
      return JSON.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
