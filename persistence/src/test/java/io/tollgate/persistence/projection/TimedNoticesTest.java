package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Webhook;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messages time makes, against PostgreSQL: keys expiring within seven days, a provider failing a fifth of
 * an org's requests, yesterday's usage; each once however often it is looked for, and only for orgs with a
 * webhook that takes it.
 */
class TimedNoticesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:03:30Z");
  private static final long DAY = Duration.ofDays(1).toMillis();

  @Test
  void keysExpiringProviderErrorRatesAndDailySummariesAreQueuedOnceEach() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        WebhookProjection.write(c, "acme", "1:1", new OrgEvent.WebhookAdded(new Webhook("wh_all", "https://a.example/",
            List.of(), Webhook.STANDARD, "whsec_AAAA", NOW.toEpochMilli())));
        WebhookProjection.write(c, "quiet", "1:2", new OrgEvent.WebhookAdded(new Webhook("wh_keys", "https://b.example/",
            List.of("key.revoked"), Webhook.STANDARD, "whsec_BBBB", NOW.toEpochMilli())));
        long now = NOW.toEpochMilli();
        WebhookProjection.write(c, "acme", "2:1", issued("soon", now + 3 * DAY));
        WebhookProjection.write(c, "acme", "2:2", issued("later", now + 30 * DAY));
        WebhookProjection.write(c, "acme", "2:3", issued("gone", now + 2 * DAY));
        WebhookProjection.write(c, "acme", "2:4", new OrgEvent.KeyRevoked("gone", now));
        WebhookProjection.write(c, "acme", "2:5", issued("forever", null));
        WebhookProjection.write(c, "quiet", "2:6", issued("soon", now + DAY)); // its webhook takes no key.expiring

        MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, 12));
        // 09:55–10:00, the last window ended a minute ago: openai fails 5 of 20, anthropic 1 of 20.
        Instant window = Instant.parse("2026-12-07T09:55:00Z");
        for (int i = 0; i < 20; i++) {
          logged(c, "acme", "openai", window.plusSeconds(i * 10), i < 5 ? 503 : 200, i < 5 ? "upstream_error" : "completed");
          logged(c, "acme", "anthropic", window.plusSeconds(i * 10), i < 1 ? 529 : 200, "completed");
          logged(c, "quiet", "openai", window.plusSeconds(i * 10), 502, "upstream_error");
        }
        LocalDate yesterday = LocalDate.of(2026, 12, 6);
        daily(c, "acme", yesterday, "gpt-4o", 10, 1_500_000_000L);
        daily(c, "acme", yesterday, "gpt-4o-mini", 30, 20_000_000L);
        daily(c, "acme", yesterday.minusDays(1), "gpt-4o", 99, 9_000_000_000L);
      }

      TimedNotices notices = new TimedNotices(db.dataSource());
      assertEquals(3, notices.run(NOW));
      List<String> queued = queued(db);
      assertEquals(List.of("key.expiring acme soon", "provider.error_rate acme openai 5/20 25.0",
          "usage.daily_summary acme 2026-12-06 40 1.520000000"), queued);

      assertEquals(2, notices.run(NOW.plusSeconds(30)), "looked for again: found again, the summary only once a day");
      assertEquals(queued, queued(db), "and queued once");
      new TimedNotices(db.dataSource()).run(NOW.plusSeconds(40));
      assertEquals(queued, queued(db), "another node finds the same messages: each still one delivery");
      assertEquals(0, notices.run(NOW.plus(Duration.ofDays(4))), "past its expiry a key is not told of again");
      assertEquals(queued, queued(db));
    }
  }

  private static OrgEvent.KeyIssued issued(String id, Long expiresAt) {
    return new OrgEvent.KeyIssued(new ApiKey(id, "key " + id, "h", List.of(), NOW.toEpochMilli(), null, null, null,
        expiresAt, null, null));
  }

  private static void logged(Connection c, String org, String provider, Instant at, int status, String outcome)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("""
        INSERT INTO request_log (org_id, admitted_at, reservation, request_id, finished_at, provider, model, status,
          outcome, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_nanos,
          estimated, unpriced, over_limits, tags)
        VALUES (?, ?, gen_random_uuid()::text, gen_random_uuid()::text, ?, ?, 'm', ?, ?, 1, 1, 0, 0, 0, 1,
          false, false, '{}', '{}')
        """)) {
      st.setString(1, org);
      st.setTimestamp(2, Timestamp.from(at));
      st.setTimestamp(3, Timestamp.from(at));
      st.setString(4, provider);
      st.setInt(5, status);
      st.setString(6, outcome);
      st.executeUpdate();
    }
  }

  private static void daily(Connection c, String org, LocalDate day, String model, long requests, long costNanos)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("""
        INSERT INTO usage_daily (org_id, day, key_id, agent, team, customer, user_id, provider, model, requests,
          input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_nanos,
          estimated_requests, unpriced_requests)
        VALUES (?, ?, 'k', '', '', '', '', 'openai', ?, ?, 100, 10, 0, 0, 0, ?, 0, 0)
        """)) {
      st.setString(1, org);
      st.setObject(2, day);
      st.setString(3, model);
      st.setLong(4, requests);
      st.setLong(5, costNanos);
      st.executeUpdate();
    }
  }

  private static List<String> queued(Database db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement st = c.prepareStatement("""
            SELECT type, org_id, body::jsonb -> 'data' FROM webhook_deliveries
            WHERE type IN ('key.expiring', 'provider.error_rate', 'usage.daily_summary') ORDER BY type, message_id
            """);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        var data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(3));
        out.add(rs.getString(1) + " " + rs.getString(2) + " " + switch (rs.getString(1)) {
          case "key.expiring" -> data.get("key_id").asText();
          case "provider.error_rate" -> data.get("provider").asText() + " " + data.get("errors").asLong() + "/"
              + data.get("requests").asLong() + " " + data.get("error_percent").asText();
          default -> data.get("day").asText() + " " + data.get("requests").asLong() + " " + data.get("cost_usd").asText();
        });
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
    return out;
  }
}
