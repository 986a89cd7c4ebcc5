package io.tollgate.persistence.query;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** A webhook's deliveries, newest first, each with its attempts in order. Blocking. */
public final class WebhookDeliveryQuery {
  /** One attempt: when, the status code (null: no answer), how long, and why it failed. */
  public record Attempt(int number, long atMillis, Integer statusCode, long latencyMillis, String error) {}

  /**
   * @param status {@code pending}, {@code delivered} or {@code failed}
   * @param nextAttemptMillis when a pending delivery is tried next
   */
  public record Delivery(String messageId, String type, long createdAtMillis, String status, int attempts,
      Long nextAttemptMillis, Long deliveredAtMillis, List<Attempt> history) {}

  private static final String DELIVERIES = """
      SELECT message_id, type, created_at, status, attempts, next_attempt_at, delivered_at
      FROM webhook_deliveries WHERE org_id = ? AND webhook_id = ?
      ORDER BY created_at DESC, message_id DESC LIMIT ?
      """;
  private static final String ATTEMPTS = """
      SELECT message_id, attempt, at, status_code, latency_ms, error FROM webhook_attempts
      WHERE org_id = ? AND webhook_id = ? AND message_id = ANY(?) ORDER BY message_id, attempt
      """;

  private final DataSource pool;

  public WebhookDeliveryQuery(DataSource pool) {
    this.pool = pool;
  }

  public List<Delivery> recent(String orgId, String webhookId, int limit) throws SQLException {
    record Row(String id, String type, long created, String status, int attempts, Long next, Long delivered) {}
    List<Row> rows = Rows.read(pool, DELIVERIES, List.of(orgId, webhookId, limit), rs -> new Row(rs.getString(1),
        rs.getString(2), rs.getTimestamp(3).getTime(), rs.getString(4), rs.getInt(5), Rows.nullableMillis(rs, 6),
        Rows.nullableMillis(rs, 7)));
    Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
    rows.forEach(r -> attempts.put(r.id(), new ArrayList<>()));
    if (!rows.isEmpty()) {
      record Tried(String id, Attempt attempt) {}
      Rows.read(pool, ATTEMPTS, List.of(orgId, webhookId, rows.stream().map(Row::id).toArray(String[]::new)),
          rs -> new Tried(rs.getString(1), new Attempt(rs.getInt(2), rs.getTimestamp(3).getTime(),
              (Integer) rs.getObject(4), rs.getLong(5), rs.getString(6))))
          .forEach(t -> attempts.get(t.id()).add(t.attempt()));
    }
    return rows.stream().map(r -> new Delivery(r.id(), r.type(), r.created(), r.status(), r.attempts(),
        r.status().equals("pending") ? r.next() : null, r.delivered(), List.copyOf(attempts.get(r.id())))).toList();
  }
}
