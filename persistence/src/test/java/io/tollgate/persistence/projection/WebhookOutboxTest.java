package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.query.WebhookDeliveryQuery;
import io.tollgate.persistence.query.WebhookDeliveryQuery.Delivery;
import io.tollgate.persistence.webhook.WebhookOutbox;
import io.tollgate.persistence.webhook.WebhookOutbox.Attempt;
import io.tollgate.persistence.webhook.WebhookOutbox.Due;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Webhook;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The webhook outbox against PostgreSQL: messages queued once per webhook that takes them, claims that no
 * two senders share and that a busy webhook cannot fill, attempts recorded, a claim left to run out.
 */
class WebhookOutboxTest {
  private static final long AT = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

  @Test
  void messagesAreQueuedOncePerWebhookThatTakesThemAndClaimedFairly() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        WebhookProjection.write(c, "acme", "1:1", new OrgEvent.WebhookAdded(new Webhook("wh_busy", "https://a.example/",
            List.of(), Webhook.STANDARD, "whsec_AAAA", AT)));
        WebhookProjection.write(c, "acme", "1:2", new OrgEvent.WebhookAdded(new Webhook("wh_keys", "https://b.example/",
            List.of("key.revoked"), Webhook.SLACK, "whsec_BBBB", AT)));
        WebhookProjection.write(c, "other", "1:3", new OrgEvent.WebhookAdded(new Webhook("wh_else", "https://c.example/",
            List.of(), Webhook.STANDARD, "whsec_CCCC", AT)));
        for (int i = 0; i < 20; i++) {
          WebhookProjection.write(c, "acme", "2:" + i, new OrgEvent.KeyIssued(new ApiKey("k" + i, "n" + i, "h", List.of(), AT, null)));
        }
        WebhookProjection.write(c, "acme", "3:1", new OrgEvent.KeyRevoked("k1", AT + 1));
        WebhookProjection.write(c, "acme", "3:1", new OrgEvent.KeyRevoked("k1", AT + 1)); // read again: no second copy
      }
      WebhookOutbox outbox = new WebhookOutbox(db.dataSource());
      assertEquals(22, outbox.backlog().pending(), "20 key.created and 1 key.revoked to the busy one, 1 to the other");

      List<Due> first = outbox.claim(100, 8, Duration.ofMinutes(1), Set.of());
      Map<String, Long> perWebhook = first.stream().collect(Collectors.groupingBy(Due::webhookId, Collectors.counting()));
      assertEquals(Map.of("wh_busy", 8L, "wh_keys", 1L), perWebhook, "a busy webhook cannot fill a claim");
      Due slack = first.stream().filter(d -> d.webhookId().equals("wh_keys")).findFirst().orElseThrow();
      assertTrue(slack.body().startsWith("{\"text\":"), slack.body());
      assertEquals("whsec_BBBB", slack.secret());
      assertEquals(0, outbox.claim(100, 8, Duration.ofMinutes(1), Set.of(WebhookOutbox.key("acme", "wh_busy"))).size(),
          "a webhook busy on this node is left out");
      assertEquals(8, outbox.claim(100, 8, Duration.ofMinutes(1), Set.of()).size(), "claimed ones are not claimed again");
      assertEquals(5, outbox.claim(100, 8, Duration.ofMinutes(1), Set.of()).size());
      assertEquals(0, outbox.claim(100, 8, Duration.ofMinutes(1), Set.of()).size());

      Due busy = first.stream().filter(d -> d.webhookId().equals("wh_busy")).findFirst().orElseThrow();
      outbox.record(busy, new Attempt(500, 12, "answered 500"), Instant.now(), Instant.now().minusSeconds(1));
      outbox.record(slack, new Attempt(200, 7, null), Instant.now(), null);
      List<Due> again = outbox.claim(100, 8, Duration.ofMinutes(1), Set.of());
      assertEquals(List.of(busy.messageId()), again.stream().map(Due::messageId).toList(), "due again after its failure");
      assertEquals(1, again.get(0).attempts());
      outbox.record(again.get(0), new Attempt(null, 2000, "timed out"), Instant.now(), null);

      Delivery failed = delivery(db, "wh_busy", busy.messageId());
      assertEquals("failed", failed.status(), "no attempt left");
      assertEquals(List.of(500, -1), failed.history().stream().map(a -> a.statusCode() == null ? -1 : a.statusCode()).toList());
      assertNull(failed.nextAttemptMillis());
      assertEquals("delivered", delivery(db, "wh_keys", slack.messageId()).status());

      assertTrue(outbox.retry("acme", "wh_busy", busy.messageId()));
      assertEquals(List.of(busy.messageId()), outbox.claim(100, 8, Duration.ofMillis(1), Set.of()).stream().map(Due::messageId).toList());
      sleep(50);
      assertEquals(1, outbox.claim(100, 8, Duration.ofMinutes(1), Set.of()).size(), "a claim that ran out is due again");
      assertFalse(outbox.retry("acme", "wh_busy", "msg_nope"));
    }
  }

  private static Delivery delivery(Database db, String webhookId, String messageId) throws SQLException {
    return new WebhookDeliveryQuery(db.dataSource()).recent("acme", webhookId, 100).stream()
        .filter(d -> d.messageId().equals(messageId)).findFirst().orElseThrow();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
