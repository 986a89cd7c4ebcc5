package io.tollgate.node.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TcpRelay;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.node.testkit.WebhookReceiver;
import io.tollgate.node.testkit.WebhookReceiver.Received;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Webhook;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: an org's events reach a real HTTP receiver signed per the Standard Webhooks
 * specification (checked with its project's own library), failed attempts are listed and retried with the same
 * message id, and a node that dies mid-delivery leaves the delivery to be sent again.
 */
class WebhooksApiTest {
  private static final String FAST = """
      tollgate.webhooks.allow-http = on
      tollgate.webhooks.allow-private = on
      tollgate.webhooks.poll = 100ms
      tollgate.webhooks.timeout = 2s
      """;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final TestClock clock = new TestClock(Instant.now());

  @Test
  void eventsAreSignedDeliveredRetriedWithTheSameIdAndListed() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra(FAST));
      try {
        node.admin().createOrg("hooked", null);
        Reply added = add(node, "hooked", "{\"url\": \"" + receiver.url("main") + "\", \"events\": [\"key.created\", "
            + "\"outcome.recorded\"]}");
        assertEquals(201, added.status(), added.toString());
        String webhookId = added.json().get("id").asText();
        String secret = added.json().get("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals("standard", added.json().get("format").asText());
        receiver.expect("main", secret);
        JsonNode listed = node.admin().call("GET", "/admin/orgs/hooked/webhooks", null).json().get("webhooks");
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("secret").isMissingNode(), "a secret is shown once");

        assertEquals(400, add(node, "hooked", "{\"url\": \"ftp://example.com/\"}").status());
        assertEquals(400, add(node, "hooked", "{\"url\": \"" + receiver.url("x") + "\", \"events\": [\"key.lost\"]}").status());
        assertEquals(400, add(node, "hooked", "{\"url\": \"" + receiver.url("x") + "\", \"format\": \"teams\"}").status());
        assertEquals(404, node.admin().call("DELETE", "/admin/orgs/hooked/webhooks/wh_nope", null).status());
        assertEquals(404, node.admin().call("POST", "/admin/orgs/nobody/webhooks/" + webhookId + "/test", null).status());

        String key = node.admin().issueKey("hooked");
        Eventually.await(WAIT, () -> assertEquals(1, receiver.received("main", "key.created").size()));
        Received created = receiver.received("main", "key.created").get(0);
        assertTrue(created.verified(), "signed with the webhook's secret: " + created);
        assertEquals("hooked", created.json().at("/data/org_id").asText());
        assertEquals("test", created.json().at("/data/name").asText());
        assertTrue(created.id().startsWith("msg_"), created.id());

        // Fails, is listed with its answer, and is sent again on request with the same message id.
        receiver.answer(503);
        assertEquals(202, node.admin().call("POST", "/admin/orgs/hooked/webhooks/" + webhookId + "/test", null).status());
        Eventually.await(WAIT, () -> assertEquals(1, receiver.received("main", "webhook.test").size()));
        Eventually.await(WAIT, () -> {
          JsonNode test = delivery(node, webhookId, "webhook.test");
          assertEquals("pending", test.get("status").asText());
          assertEquals(503, test.at("/history/0/status_code").asInt());
          assertFalse(test.get("next_attempt_at").isNull());
        });
        HttpResponse<String> ready = ProxyClient.getResponse(node.baseUrl() + "/health/ready");
        assertEquals(200, ready.statusCode(), "a backlog never fails readiness");
        assertTrue(ProxyClient.json(ready).path("webhook_backlog").has("pending"), ready.body());
        receiver.answer(200);
        String testId = delivery(node, webhookId, "webhook.test").get("id").asText();
        assertEquals(202, node.admin().call("POST", "/admin/orgs/hooked/webhooks/" + webhookId + "/deliveries/"
            + testId + "/retry", null).status());
        Eventually.await(WAIT, () -> assertEquals("delivered", delivery(node, webhookId, "webhook.test").get("status").asText()));
        List<Received> tests = receiver.received("main", "webhook.test");
        assertEquals(2, tests.size());
        assertEquals(tests.get(0).id(), tests.get(1).id(), "a retry is the same message");
        assertTrue(tests.stream().allMatch(Received::verified));
        assertEquals(2, delivery(node, webhookId, "webhook.test").get("history").size());
        assertEquals(404, node.admin().call("POST", "/admin/orgs/hooked/webhooks/" + webhookId
            + "/deliveries/msg_nope/retry", null).status());

        // The same outcome reported twice is one message; the key issued after both shows they were both read.
        String outcome = "{\"id\": \"o-1\", \"name\": \"ticket_resolved\", \"value_usd\": \"12.50\"}";
        assertEquals(201, ProxyClient.post(node.baseUrl() + "/v1/outcomes", key, outcome, Map.of()).statusCode());
        assertEquals(201, ProxyClient.post(node.baseUrl() + "/v1/outcomes", key, outcome, Map.of()).statusCode());
        Reply slack = add(node, "hooked", "{\"url\": \"" + receiver.url("slack") + "\", \"format\": \"slack\"}");
        assertEquals(201, slack.status());
        node.admin().issueKey("hooked");
        Eventually.await(WAIT, () -> assertEquals(2, receiver.received("main", "key.created").size()));
        // Messages are sent in parallel, so the outcome's may come after the key's.
        Eventually.await(WAIT, () -> assertEquals(1, receiver.received("main", "outcome.recorded").size()));
        assertEquals("12.500000000", receiver.received("main", "outcome.recorded").get(0).json().at("/data/value_usd").asText());

        // Slack's format, and every event type for a webhook that named none.
        Eventually.await(WAIT, () -> assertTrue(receiver.received().stream().anyMatch(r -> r.path().equals("/slack")
            && r.json().path("text").asText().contains("key `test`"))));
        assertEquals(204, node.admin().call("DELETE", "/admin/orgs/hooked/webhooks/" + webhookId, null).status());
        JsonNode left = node.admin().call("GET", "/admin/orgs/hooked/webhooks", null).json().get("webhooks");
        assertEquals(1, left.size());
        assertEquals("slack", left.get(0).get("format").asText());
        assertEquals(Webhook.EVENT_TYPES.size(), left.get(0).get("events").size(), "every type there is");
      } finally {
        node.close();
      }
    }
  }

  @Test
  void aBudgetPassingItsThresholdsIsToldOnceEachWithItsForecast() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra(FAST));
      try {
        node.admin().createOrg("spender", null);
        Reply added = add(node, "spender", "{\"url\": \"" + receiver.url("budgets") + "\", \"events\": "
            + "[\"budget.threshold_crossed\"]}");
        receiver.expect("budgets", added.json().get("secret").asText());
        // Soft: admitted past it, so one request carries the spend past every threshold.
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/spender/limits/team/research",
            "{\"daily_budget_usd\": \"0.000001\", \"enforcement\": \"soft\"}").status());
        String key = node.admin().issueKey("spender");
        String chat = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        for (int i = 0; i < 2; i++) {
          assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, chat,
              Map.of("X-Team-ID", "research")).statusCode());
        }
        Eventually.await(WAIT, () -> assertEquals(List.of(50, 80, 100), receiver.received("budgets",
            "budget.threshold_crossed").stream().map(r -> r.json().at("/data/threshold_percent").asInt()).sorted().toList()));
        Received full = receiver.received("budgets", "budget.threshold_crossed").stream()
            .filter(r -> r.json().at("/data/threshold_percent").asInt() == 100).findFirst().orElseThrow();
        assertTrue(full.verified());
        JsonNode data = full.json().get("data");
        assertEquals("team:research", data.get("scope").asText());
        assertEquals("daily_budget_usd", data.get("budget").asText());
        assertEquals("0.000001000", data.get("budget_usd").asText());
        assertTrue(new java.math.BigDecimal(data.get("spent_usd").asText()).compareTo(new java.math.BigDecimal("0.000001")) >= 0);
        assertFalse(data.get("runs_out_at").isNull(), "spent already: it ran out");
        assertTrue(new java.math.BigDecimal(data.get("projected_usd").asText())
            .compareTo(new java.math.BigDecimal(data.get("spent_usd").asText())) >= 0, data.toString());
        Thread.sleep(1_000); // the second request's write, past every threshold already, tells nothing more
        assertEquals(3, receiver.received("budgets", "budget.threshold_crossed").size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        node.close();
      }
    }
  }

  @Test
  void aDeliveryCutShortByANodeThatDiedIsSentAgainWithTheSameId() {
    DatabaseSettings db = TestDatabases.freshSchema();
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode first = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock).withExtra(FAST));
      String webhookId;
      try {
        first.admin().createOrg("durable", null);
        Reply added = add(first, "durable", "{\"url\": \"" + receiver.url("main") + "\"}");
        webhookId = added.json().get("id").asText();
        receiver.expect("main", added.json().get("secret").asText());
        receiver.pause(1_500); // the attempt is in flight when the node dies
        first.admin().issueKey("durable");
        Eventually.await(WAIT, () -> assertEquals(1, receiver.received("main", "key.created").size()));
      } finally {
        first.crash();
      }
      receiver.pause(0);
      TestNode second = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock).withExtra(FAST));
      try {
        // Due again once the dead node's claim runs out (twice the timeout and 5 s).
        Eventually.await(Duration.ofSeconds(30), () -> assertEquals("delivered",
            delivery(second, webhookId, "key.created", "durable").get("status").asText()));
        List<Received> copies = receiver.received("main", "key.created");
        assertEquals(2, copies.size());
        assertEquals(copies.get(0).id(), copies.get(1).id(), "the same message id: a receiver keeps one");
        assertTrue(copies.stream().allMatch(Received::verified));
      } finally {
        second.close();
      }
    }
  }

  @Test
  void aDeliveryWhoseAttemptCouldNotBeRecordedIsSentAgainOnceTheDatabaseIsBack() {
    try (TcpRelay.ToDatabase database = TcpRelay.toDatabase(TestDatabases.freshSchema());
        UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode node = TestNode.start(TestNode.options(database.settings(), simulator.baseUrl(), clock)
          .withExtra(FAST + "tollgate.db.socket-timeout = 3s"));
      try {
        node.admin().createOrg("restarted", null);
        Reply added = add(node, "restarted", "{\"url\": \"" + receiver.url("main") + "\"}");
        String webhookId = added.json().get("id").asText();
        receiver.expect("main", added.json().get("secret").asText());
        receiver.pause(1_000); // the database goes away while the receiver answers
        node.admin().issueKey("restarted");
        Eventually.await(WAIT, () -> assertEquals(1, receiver.received("main", "key.created").size()));
        database.relay().blackhole();
        receiver.pause(0);
        Thread.sleep(4_000); // the attempt's record fails on the silent connection
        database.relay().failover();
        Eventually.await(Duration.ofSeconds(40), () -> assertEquals("delivered",
            delivery(node, webhookId, "key.created", "restarted").get("status").asText()));
        List<Received> copies = receiver.received("main", "key.created");
        assertEquals(2, copies.size(), "sent again: its first attempt never made it to the books");
        assertEquals(copies.get(0).id(), copies.get(1).id());
        assertTrue(copies.stream().allMatch(Received::verified));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        node.close();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Reply add(TestNode node, String org, String body) {
    return node.admin().call("POST", "/admin/orgs/" + org + "/webhooks", body);
  }

  private static JsonNode delivery(TestNode node, String webhookId, String type) {
    return delivery(node, webhookId, type, "hooked");
  }

  private static JsonNode delivery(TestNode node, String webhookId, String type, String org) {
    JsonNode deliveries = node.admin().call("GET", "/admin/orgs/" + org + "/webhooks/" + webhookId + "/deliveries",
        null).json().get("deliveries");
    for (JsonNode d : deliveries) {
      if (d.get("type").asText().equals(type)) {
        return d;
      }
    }
    throw new AssertionError("no " + type + " delivery in " + deliveries);
  }
}
