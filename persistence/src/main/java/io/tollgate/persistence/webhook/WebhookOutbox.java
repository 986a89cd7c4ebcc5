package io.tollgate.persistence.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The queue of webhook deliveries, shared by the cluster: a node claims what is due for a while, sends it and
 * records the attempt. A claim that runs out before its attempt is recorded (the node died, the database
 * went away) makes the delivery due again, so each is sent at least once, always with the same message id.
 */
public final class WebhookOutbox {
  /** A delivery claimed for sending, with where and how it goes. */
  public record Due(String orgId, String webhookId, String messageId, String type, String body, int attempts,
      Instant createdAt, String url, String format, String secret) {}

  /** How an attempt went: the status code (null when no answer came), how long it took, and why it failed. */
  public record Attempt(Integer statusCode, long latencyMillis, String error) {
    public boolean delivered() {
      return statusCode != null && statusCode / 100 == 2;
    }
  }

  /** The backlog: deliveries waiting, and when the oldest of them was queued (null when none). */
  public record Backlog(long pending, Instant oldest) {}

  // At most a few of one webhook's deliveries per claim, so an endpoint with a long backlog (or a dead one)
  // cannot fill a claim and hold back the others'.
  private static final String CLAIM = """
      WITH candidates AS (
        SELECT org_id, webhook_id, message_id FROM (
          SELECT org_id, webhook_id, message_id, next_attempt_at,
            row_number() OVER (PARTITION BY org_id, webhook_id ORDER BY next_attempt_at) AS n
          FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
            AND org_id || ' ' || webhook_id <> ALL(?)
        ) ranked WHERE n <= ? ORDER BY next_attempt_at LIMIT ?
      ), due AS (
        SELECT d.org_id, d.webhook_id, d.message_id FROM webhook_deliveries d
        JOIN candidates c USING (org_id, webhook_id, message_id)
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET claimed_until = now() + ? * interval '1 millisecond'
      FROM due, webhook_endpoints e
      WHERE d.org_id = due.org_id AND d.webhook_id = due.webhook_id AND d.message_id = due.message_id
        AND e.org_id = d.org_id AND e.webhook_id = d.webhook_id
      RETURNING d.org_id, d.webhook_id, d.message_id, d.type, d.body, d.attempts, d.created_at, e.url, e.format, e.secret
      """;
  private static final String ATTEMPTED = """
      INSERT INTO webhook_attempts (org_id, webhook_id, message_id, attempt, at, status_code, latency_ms, error)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING
      """;
  private static final String SETTLE = """
      UPDATE webhook_deliveries SET attempts = ?, claimed_until = NULL, status = ?, next_attempt_at = ?,
        delivered_at = CASE WHEN ? = 'delivered' THEN now() ELSE delivered_at END
      WHERE org_id = ? AND webhook_id = ? AND message_id = ?
      """;
  private static final String RETRY = """
      UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), claimed_until = NULL
      WHERE org_id = ? AND webhook_id = ? AND message_id = ?
      """;
  private static final String BACKLOG = """
      SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'
      """;

  private final DataSource pool;

  public WebhookOutbox(DataSource pool) {
    this.pool = pool;
  }

  /** How a webhook is named among those to leave out of a claim: its org and its id. */
  public static String key(String orgId, String webhookId) {
    return orgId + " " + webhookId;
  }

  /**
   * Claims up to {@code max} due deliveries for {@code hold}, at most {@code perWebhook} of any one webhook and
   * none of the webhooks {@code busy} names ({@link #key}).
   */
  public List<Due> claim(int max, int perWebhook, Duration hold, Set<String> busy) throws SQLException {
    List<Due> due = new ArrayList<>();
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(CLAIM)) {
      c.setAutoCommit(true);
      st.setArray(1, c.createArrayOf("text", busy.toArray()));
      st.setInt(2, perWebhook);
      st.setInt(3, max);
      st.setLong(4, hold.toMillis());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          due.add(new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getInt(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9), rs.getString(10)));
        }
      }
    }
    return due;
  }

  /**
   * Records an attempt and what comes next: delivered; due again at {@code nextAttempt}; or, with no next
   * attempt, failed for good.
   */
  public void record(Due due, Attempt attempt, Instant at, Instant nextAttempt) throws SQLException {
    int number = due.attempts() + 1;
    String status = attempt.delivered() ? "delivered" : nextAttempt == null ? "failed" : "pending";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement st = c.prepareStatement(ATTEMPTED)) {
        st.setString(1, due.orgId());
        st.setString(2, due.webhookId());
        st.setString(3, due.messageId());
        st.setInt(4, number);
        st.setObject(5, at.atOffset(ZoneOffset.UTC));
        st.setObject(6, attempt.statusCode());
        st.setLong(7, attempt.latencyMillis());
        st.setString(8, attempt.error());
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement(SETTLE)) {
        st.setInt(1, number);
        st.setString(2, status);
        st.setObject(3, (nextAttempt == null ? at : nextAttempt).atOffset(ZoneOffset.UTC));
        st.setString(4, status);
        st.setString(5, due.orgId());
        st.setString(6, due.webhookId());
        st.setString(7, due.messageId());
        st.executeUpdate();
      }
      c.commit();
    }
  }

  /** Makes a delivery due now, whatever became of it; false when there is no such delivery. */
  public boolean retry(String orgId, String webhookId, String messageId) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(RETRY)) {
      c.setAutoCommit(true);
      st.setString(1, orgId);
      st.setString(2, webhookId);
      st.setString(3, messageId);
      return st.executeUpdate() == 1;
    }
  }

  public Backlog backlog() throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(BACKLOG);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      Timestamp oldest = rs.getTimestamp(2);
      return new Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
    }
  }
}
