package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.persistence.projection.UnnestInsert.Column;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's records summed per org and session, added to {@code sessions} in one statement; and the sessions
 * closed by the API. Keyed by the text as stored (made safe), so two records the database would store alike
 * are one row of the statement, which may not update a row twice.
 */
final class SessionRollup {
  /** One session's share of a group. */
  static final class Sums {
    final String orgId;
    final String session;
    String agent;
    String customer;
    String user;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;
    long requests;
    long input;
    long output;
    long cacheRead;
    long cacheWrite;
    long reasoning;
    long cost;
    long latency;
    long timed;
    long errors;

    Sums(String orgId, String session) {
      this.orgId = orgId;
      this.session = session;
    }

    void add(UsageRecord r, Attribution a) {
      agent = agent != null ? agent : text(a.agent());
      customer = customer != null ? customer : text(a.customer());
      user = user != null ? user : text(a.user());
      firstMillis = Math.min(firstMillis, r.admittedAtMillis());
      lastMillis = Math.max(lastMillis, r.admittedAtMillis());
      requests++;
      input = Saturating.add(input, r.tokens().input());
      output = Saturating.add(output, r.tokens().output());
      cacheRead = Saturating.add(cacheRead, r.tokens().cacheRead());
      cacheWrite = Saturating.add(cacheWrite, r.tokens().cacheWrite());
      reasoning = Saturating.add(reasoning, r.tokens().reasoningOrZero());
      cost = Saturating.add(cost, r.costNanos());
      if (r.latencyMillis() != null) {
        latency = Saturating.add(latency, r.latencyMillis());
        timed++;
      }
      if (r.outcome() != Outcome.COMPLETED || r.status() / 100 != 2) {
        errors++;
      }
    }
  }

  private static final String MAX_INT8 = "9223372036854775807";
  private static final List<String> SUMMED = List.of("requests", "input_tokens", "output_tokens", "cache_read_tokens",
      "cache_write_tokens", "reasoning_tokens", "cost_nanos", "latency_ms", "timed_requests", "errors");

  private static final UnnestInsert<Sums> UPSERT = new UnnestInsert<>("sessions", List.of(
      new Column<>("org_id", "text", s -> s.orgId),
      new Column<>("session", "text", s -> s.session),
      new Column<>("agent", "text", s -> s.agent),
      new Column<>("customer", "text", s -> s.customer),
      new Column<>("user_id", "text", s -> s.user),
      new Column<>("first_at", "int8", UnnestInsert.millisAsTime("first_at"), s -> s.firstMillis),
      new Column<>("last_at", "int8", UnnestInsert.millisAsTime("last_at"), s -> s.lastMillis),
      new Column<>("requests", "int8", s -> s.requests),
      new Column<>("input_tokens", "int8", s -> s.input),
      new Column<>("output_tokens", "int8", s -> s.output),
      new Column<>("cache_read_tokens", "int8", s -> s.cacheRead),
      new Column<>("cache_write_tokens", "int8", s -> s.cacheWrite),
      new Column<>("reasoning_tokens", "int8", s -> s.reasoning),
      new Column<>("cost_nanos", "int8", s -> s.cost),
      new Column<>("latency_ms", "int8", s -> s.latency),
      new Column<>("timed_requests", "int8", s -> s.timed),
      new Column<>("errors", "int8", s -> s.errors)),
      "ON CONFLICT (org_id, session) DO UPDATE SET "
          + "agent = coalesce(sessions.agent, EXCLUDED.agent), customer = coalesce(sessions.customer, EXCLUDED.customer), "
          + "user_id = coalesce(sessions.user_id, EXCLUDED.user_id), "
          + "first_at = least(sessions.first_at, EXCLUDED.first_at), last_at = greatest(sessions.last_at, EXCLUDED.last_at), "
          // A request after the close opens the session again.
          + "closed_at = CASE WHEN EXCLUDED.last_at > sessions.closed_at THEN NULL ELSE sessions.closed_at END, "
          + String.join(", ", SUMMED.stream()
              .map(c -> c + " = least(sessions." + c + "::numeric + EXCLUDED." + c + ", " + MAX_INT8 + ")::int8").toList()));

  private final Map<String, Sums> sessions = new LinkedHashMap<>();

  /** Counts a record in its session, if it names one. */
  void add(String orgId, UsageRecord record) {
    Attribution a = record.attribution() == null ? Attribution.NONE : record.attribution();
    String session = text(a.session());
    if (session != null) {
      sessions.computeIfAbsent(orgId + '\n' + session, k -> new Sums(orgId, session)).add(record, a);
    }
  }

  /** Adds the group's sums to the sessions; returns how many rows it inserted or updated. */
  int write(Connection connection) throws SQLException {
    return UPSERT.insert(connection, List.copyOf(sessions.values()));
  }

  /**
   * Marks a session closed at that time, after the group's sums are written: unless a request came after it (a
   * session not seen yet has nothing to close).
   */
  static void close(Connection connection, String orgId, String session, long atMillis) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement("UPDATE sessions SET closed_at = ?"
        + " WHERE org_id = ? AND session = ? AND last_at <= ?")) {
      OffsetDateTime at = Instant.ofEpochMilli(atMillis).atOffset(ZoneOffset.UTC);
      st.setObject(1, at);
      st.setString(2, orgId);
      st.setString(3, text(session));
      st.setObject(4, at);
      st.executeUpdate();
    }
  }
}
