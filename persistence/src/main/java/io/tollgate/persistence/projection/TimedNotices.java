package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.WebhookMessages.Message;
import io.tollgate.persistence.projection.WebhookMessages.ModelDay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The webhook messages that time makes rather than an event: keys expiring within seven days, yesterday's
 * usage per org, and providers failing a share of an org's requests. Any node may look, as often as it likes:
 * each message's id is derived from what it tells, so a message queued twice is one delivery. Only orgs with a
 * webhook that takes the type are looked at.
 */
public final class TimedNotices {
  static final Duration EXPIRY_NOTICE = Duration.ofDays(7);
  /** The window a provider's error rate is measured over, ending a minute ago (the request log catches up). */
  static final Duration ERROR_WINDOW = Duration.ofMinutes(5);
  static final long MIN_REQUESTS = 20;
  static final long ERROR_PERCENT = 20;
  /** Yesterday is summed this long after midnight UTC, once the usage read model has it. */
  static final Duration SUMMARY_AFTER = Duration.ofMinutes(10);

  private static final String TAKERS = """
      SELECT DISTINCT org_id FROM webhook_endpoints
      WHERE removed_at IS NULL AND (cardinality(events) = 0 OR ? = ANY(events))
      """;
  private static final String EXPIRING = """
      SELECT k.org_id, k.key_id, k.name, k.expires_at FROM webhook_keys k
      JOIN (%s) w ON w.org_id = k.org_id
      WHERE k.revoked_at IS NULL AND k.expires_at > ? AND k.expires_at <= ?
      """.formatted(TAKERS);
  private static final String FAILED = "r.status >= 500 OR r.status = 429"
      + " OR r.outcome IN ('upstream_unreachable', 'upstream_timeout', 'upstream_cut')";
  private static final String ERROR_RATES = """
      SELECT w.org_id, r.provider, count(*), count(*) FILTER (WHERE %s)
      FROM (%s) w JOIN request_log r ON r.org_id = w.org_id AND r.admitted_at >= ? AND r.admitted_at < ?
      GROUP BY w.org_id, r.provider
      HAVING count(*) >= ? AND count(*) FILTER (WHERE %s) * 100 >= ? * count(*)
      """.formatted(FAILED, TAKERS, FAILED);
  private static final String DAY = """
      SELECT w.org_id, u.provider, u.model, sum(u.requests),
        sum(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens), sum(u.cost_nanos)
      FROM (%s) w JOIN usage_daily u ON u.org_id = w.org_id AND u.day = ?
      GROUP BY w.org_id, u.provider, u.model
      """.formatted(TAKERS);

  private final DataSource pool;
  private volatile LocalDate summarized;

  public TimedNotices(DataSource pool) {
    this.pool = pool;
  }

  /** Queues what is due at {@code now}; returns how many messages it made (some may have been queued already). */
  public int run(Instant now) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(true);
      List<Map.Entry<String, Message>> messages = new ArrayList<>();
      expiring(c, now, messages);
      errorRates(c, now, messages);
      LocalDate yesterday = now.minus(SUMMARY_AFTER).atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
      if (!yesterday.equals(summarized)) {
        summaries(c, yesterday, now, messages);
      }
      for (Map.Entry<String, Message> m : messages) {
        WebhookProjection.queue(c, m.getKey(), m.getValue());
      }
      summarized = yesterday;
      return messages.size();
    }
  }

  private static void expiring(Connection c, Instant now, List<Map.Entry<String, Message>> out) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(EXPIRING)) {
      st.setString(1, "key.expiring");
      st.setTimestamp(2, Timestamp.from(now));
      st.setTimestamp(3, Timestamp.from(now.plus(EXPIRY_NOTICE)));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String org = rs.getString(1);
          out.add(Map.entry(org, WebhookMessages.keyExpiring(org, rs.getString(2), rs.getString(3),
              rs.getTimestamp(4).toInstant(), now)));
        }
      }
    }
  }

  private static void errorRates(Connection c, Instant now, List<Map.Entry<String, Message>> out) throws SQLException {
    long window = ERROR_WINDOW.toMillis();
    long endMillis = now.minusSeconds(60).toEpochMilli();
    Instant to = Instant.ofEpochMilli(endMillis - Math.floorMod(endMillis, window));
    Instant from = to.minus(ERROR_WINDOW);
    try (PreparedStatement st = c.prepareStatement(ERROR_RATES)) {
      st.setString(1, "provider.error_rate");
      st.setTimestamp(2, Timestamp.from(from));
      st.setTimestamp(3, Timestamp.from(to));
      st.setLong(4, MIN_REQUESTS);
      st.setLong(5, ERROR_PERCENT);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String org = rs.getString(1);
          out.add(Map.entry(org, WebhookMessages.providerErrorRate(org, rs.getString(2), from, to, rs.getLong(3),
              rs.getLong(4))));
        }
      }
    }
  }

  private static void summaries(Connection c, LocalDate day, Instant now, List<Map.Entry<String, Message>> out)
      throws SQLException {
    Map<String, List<ModelDay>> byOrg = new LinkedHashMap<>();
    try (PreparedStatement st = c.prepareStatement(DAY)) {
      st.setString(1, "usage.daily_summary");
      st.setObject(2, day);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byOrg.computeIfAbsent(rs.getString(1), o -> new ArrayList<>()).add(new ModelDay(rs.getString(2),
              rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
      }
    }
    byOrg.forEach((org, models) -> out.add(Map.entry(org, WebhookMessages.dailySummary(org, day, models, now))));
  }
}
