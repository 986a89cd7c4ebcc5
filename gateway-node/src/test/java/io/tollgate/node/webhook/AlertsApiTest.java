package io.tollgate.node.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.node.testkit.WebhookReceiver;
import io.tollgate.node.testkit.WebhookReceiver.Received;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alerts end to end, on a node whose clock the test moves: an agent's spend spike is told to a webhook and the
 * agent blocked within the interval until an admin lifts it; request quotas, soft limits and rate limits are
 * told once each.
 */
class AlertsApiTest {
  private static final String FAST = """
      tollgate.webhooks.allow-http = on
      tollgate.webhooks.allow-private = on
      tollgate.webhooks.poll = 100ms
      tollgate.org.sweep-interval = 200ms
      """;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CHAT = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T08:00:00Z"));

  private static HttpResponse<String> chat(TestNode node, String key, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT, headers);
  }

  private static JsonNode baseline(TestNode node, String org, String subject) {
    for (JsonNode b : node.admin().call("GET", "/admin/orgs/" + org + "/alerts", null).json().get("baselines")) {
      if (b.get("subject").asText().equals(subject)) {
        return b;
      }
    }
    return null;
  }

  @Test
  void anAgentsSpendSpikeIsAlertedAndTheAgentBlockedUntilAnAdminLiftsIt() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra(FAST));
      try {
        node.admin().createOrg("watched", null);
        Reply added = node.admin().call("POST", "/admin/orgs/watched/webhooks", "{\"url\": \""
            + receiver.url("anomalies") + "\", \"events\": [\"cost.anomaly\"]}");
        receiver.expect("anomalies", added.json().get("secret").asText());
        Reply set = node.admin().call("PUT", "/admin/orgs/watched/alerts",
            "{\"anomaly\": {\"interval_seconds\": 60, \"min_spend_usd\": \"0\", \"block_minutes\": 30}}");
        assertEquals(200, set.status(), set.toString());
        assertEquals(60, set.json().at("/anomaly/interval_seconds").asInt());
        assertEquals("block", set.json().at("/anomaly/actions/critical").asText(), "fields not named keep their value");
        assertEquals(List.of(50, 80, 100), List.of(set.json().at("/thresholds/0").asInt(),
            set.json().at("/thresholds/1").asInt(), set.json().at("/thresholds/2").asInt()));
        assertEquals(400, node.admin().call("PUT", "/admin/orgs/watched/alerts",
            "{\"anomaly\": {\"actions\": {\"huge\": \"block\"}}}").status(), "an unknown severity");

        String key = node.admin().issueKey("watched");
        Map<String, String> bot = Map.of("X-Agent-ID", "bot");
        // Fourteen quiet minutes, one request each: the baseline learns a request's spend per interval.
        for (int minute = 0; minute < 14; minute++) {
          assertEquals(200, chat(node, key, bot).statusCode());
          String interval = clock.instant().toString();
          Eventually.await(WAIT, () -> {
            JsonNode b = baseline(node, "watched", "agent:bot");
            assertEquals(interval + " 1", b.at("/interval/start").asText() + " " + b.at("/interval/requests").asInt(),
                "journaled in its own minute");
          });
          clock.advance(Duration.ofSeconds(60));
        }
        assertEquals(false, baseline(node, "watched", "agent:bot").get("learning").asBoolean());

        // The spike: ten times the usual in one minute. Critical blocks the agent by default.
        for (int i = 0; i < 10 && chat(node, key, bot).statusCode() == 200; i++) {
          Eventually.await(WAIT, () -> assertTrue(baseline(node, "watched", "agent:bot").at("/interval/requests").asInt() > 0));
        }
        Eventually.await(WAIT, () -> assertEquals(403, chat(node, key, bot).statusCode()));
        HttpResponse<String> refused = chat(node, key, bot);
        assertTrue(refused.body().contains("agent 'bot' is blocked until"), refused.body());
        assertEquals(200, chat(node, key, Map.of("X-Agent-ID", "other")).statusCode(), "another agent goes on");
        assertEquals(200, chat(node, key, Map.of()).statusCode(), "and so does the key itself");

        Eventually.await(WAIT, () -> assertTrue(receiver.received("anomalies", "cost.anomaly").stream()
            .anyMatch(r -> r.json().at("/data/blocked").asText().equals("agent:bot"))));
        Received told = receiver.received("anomalies", "cost.anomaly").stream()
            .filter(r -> r.json().at("/data/blocked").asText().equals("agent:bot")).findFirst().orElseThrow();
        assertTrue(told.verified());
        JsonNode data = told.json().get("data");
        assertEquals("agent:bot", data.get("subject").asText());
        assertEquals("spend", data.get("measure").asText());
        assertEquals("critical", data.get("severity").asText(), "only critical blocks by default");
        assertEquals("block", data.get("action").asText());
        assertTrue(receiver.received("anomalies", "cost.anomaly").stream().allMatch(Received::verified));
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)).toString().substring(0, 16),
            data.get("blocked_until").asText().substring(0, 16), "blocked for the org's block time");

        JsonNode alerts = node.admin().call("GET", "/admin/orgs/watched/alerts", null).json();
        assertEquals("agent:bot", alerts.at("/blocks/0/scope").asText());
        assertTrue(alerts.get("anomalies").size() >= 2, "the agent's, the org's and the key's anomalies: " + alerts);
        assertEquals(400, node.admin().call("DELETE", "/admin/orgs/watched/blocks/team:x", null).status());
        assertEquals(200, node.admin().call("DELETE", "/admin/orgs/watched/blocks/agent:bot", null).status());
        assertEquals(404, node.admin().call("DELETE", "/admin/orgs/watched/blocks/agent:bot", null).status(),
            "lifted already");
        assertEquals(200, chat(node, key, bot).statusCode(), "served again once lifted");
      } finally {
        node.close();
      }
    }
  }

  @Test
  void quotasSoftLimitsAndRateLimitsAreToldOnceEach() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        WebhookReceiver receiver = WebhookReceiver.start()) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra(FAST));
      try {
        node.admin().createOrg("limited", "{\"monthly_requests\": 4}");
        Reply added = node.admin().call("POST", "/admin/orgs/limited/webhooks", "{\"url\": \"" + receiver.url("limits")
            + "\", \"events\": [\"quota.threshold_crossed\", \"limit.soft_exceeded\", \"rate_limit.hit\"]}");
        receiver.expect("limits", added.json().get("secret").asText());
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/limited/alerts", "{\"thresholds\": [100, 50]}").status());
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/limited/limits/team/research",
            "{\"requests_per_day\": 1, \"enforcement\": \"soft\"}").status());
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/limited/limits/team/ops",
            "{\"requests_per_minute\": 1}").status());
        String key = node.admin().issueKey("limited");

        assertEquals(200, chat(node, key, Map.of("X-Team-ID", "research")).statusCode());
        assertEquals(200, chat(node, key, Map.of("X-Team-ID", "research")).statusCode(), "soft: admitted past it");
        assertEquals(200, chat(node, key, Map.of("X-Team-ID", "ops")).statusCode());
        assertEquals(429, chat(node, key, Map.of("X-Team-ID", "ops")).statusCode());
        assertEquals(429, chat(node, key, Map.of("X-Team-ID", "ops")).statusCode());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, chat(node, key, Map.of()).statusCode(), "the fourth: the whole quota");

        Eventually.await(WAIT, () -> assertEquals(List.of("limit.soft_exceeded team:research requests_per_day",
                "quota.threshold_crossed org:limited monthly_requests 100", "quota.threshold_crossed org:limited monthly_requests 50",
                "rate_limit.hit team:ops requests_per_minute 2"),
            receiver.received("limits", null).stream().map(AlertsApiTest::describe).sorted().toList()));
        assertTrue(receiver.received("limits", null).stream().allMatch(Received::verified));
        Thread.sleep(1_000);
        assertEquals(4, receiver.received("limits", null).size(), "each once");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        node.close();
      }
    }
  }

  private static String describe(Received r) {
    JsonNode d = r.json().get("data");
    return switch (r.type()) {
      case "limit.soft_exceeded" -> r.type() + " " + d.get("scope").asText() + " " + d.get("limit").asText();
      case "quota.threshold_crossed" -> r.type() + " " + d.get("scope").asText() + " " + d.get("limit").asText() + " "
          + d.get("threshold_percent").asInt();
      default -> r.type() + " " + d.get("scope").asText() + " " + d.get("limit").asText() + " " + d.get("refused").asLong();
    };
  }
}
