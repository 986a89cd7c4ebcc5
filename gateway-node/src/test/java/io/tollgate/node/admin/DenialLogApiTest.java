package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/orgs/{org}/denials}: every refusal of a known key with the scope and limit that refused it;
 * under a flood, what an org could not keep in detail is counted as dropped, and detail plus dropped equals
 * the refusals it counted. Unknown keys are only counted.
 */
class DenialLogApiTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void everyRefusalOfAKnownKeyIsLoggedWithWhyOrCountedAsDropped() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      // Two refusals in detail per journal write: a burst of them overflows it.
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra("tollgate.org.max-batch = 2"));
      try {
        node.admin().createOrg("refuser", null);
        String key = node.admin().issueKey("refuser");
        JsonNode issued = node.admin().call("POST", "/admin/orgs/refuser/keys", "{\"name\": \"old\"}").json();
        String revoked = issued.get("key").asText();
        String revokedId = issued.get("id").asText();
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/refuser/limits/team/research",
            "{\"requests_per_minute\": 1}").status());
        assertEquals(200, node.admin().call("DELETE", "/admin/orgs/refuser/keys/" + revokedId, null).status());

        Map<String, String> research = Map.of("X-Team-ID", "research", "X-Agent-ID", "planner");
        assertEquals(200, send(node, key, research).statusCode());
        HttpResponse<String> limited = send(node, key, research);
        assertEquals(429, limited.statusCode());
        assertEquals(401, send(node, revoked, Map.of()).statusCode());
        assertEquals(401, send(node, "tg_refuser_madeup", Map.of()).statusCode());

        JsonNode two = awaitDenials(node, 2);
        JsonNode rate = byReason(two, "requests_per_minute");
        assertEquals(limited.headers().firstValue("X-Request-ID").orElseThrow(), rate.get("id").asText());
        assertEquals("requests_per_minute", rate.get("reason").asText());
        assertEquals(429, rate.get("status").asInt());
        assertEquals("team:research", rate.get("scope").asText());
        assertEquals("requests_per_minute", rate.get("limit").asText());
        assertEquals("gpt-4o-mini", rate.get("model").asText());
        assertEquals("openai", rate.get("provider").asText());
        assertEquals("planner", rate.at("/attribution/agent").asText());
        assertFalse(rate.get("key_id").asText().isEmpty());
        JsonNode gone = byReason(two, "revoked_key");
        assertEquals("revoked_key", gone.get("reason").asText());
        assertEquals(revokedId, gone.get("key_id").asText());
        assertTrue(gone.get("scope").isNull());

        assertEquals(1, list(node, "reason=revoked_key").json().get("denials").size());
        assertEquals(1, list(node, "scope=team:research&status=4xx").json().get("denials").size());
        assertEquals(400, list(node, "outcome=completed").status(), "a filter of the request log, not of this one");
        assertEquals(400, list(node, "reason=bad_luck").status());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/nobody/denials", null).status());

        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          burst.add(CompletableFuture.supplyAsync(() -> send(node, key, research)));
        }
        burst.forEach(f -> assertEquals(429, f.join().statusCode()));
        long refusedKnown = 42;
        Eventually.await(Duration.ofSeconds(20), () -> {
          JsonNode all = list(node, "limit=1000").json();
          assertEquals(refusedKnown, all.get("denials").size() + all.get("dropped").asLong(),
              "each refusal of a known key is in the log or counted as dropped");
        });
        long counted = node.journal().events("refuser").stream()
            .filter(OrgEvent.RequestsDenied.class::isInstance)
            .flatMap(e -> ((OrgEvent.RequestsDenied) e).denials().stream())
            .filter(c -> c.keyId() != null).mapToLong(DenialCount::count).sum();
        assertEquals(refusedKnown, counted, "the journal's counts agree");
        assertTrue(list(node, "limit=1000").json().get("dropped").asLong() > 0, "a burst past two per write drops some");
        assertEquals(0, list(node, "from=2026-12-04").json().get("dropped").asLong(), "dropped counts by day");
      } finally {
        node.close();
      }
    }
  }

  private static HttpResponse<String> send(TestNode node, String key, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "refuse me", 12, false), headers);
  }

  private static Reply list(TestNode node, String query) {
    return node.admin().call("GET", "/admin/orgs/refuser/denials" + (query.isEmpty() ? "" : "?" + query), null);
  }

  private static JsonNode byReason(JsonNode page, String reason) {
    for (JsonNode d : page.get("denials")) {
      if (d.get("reason").asText().equals(reason)) {
        return d;
      }
    }
    throw new AssertionError("no denial for " + reason + " in " + page);
  }

  private static JsonNode awaitDenials(TestNode node, int n) {
    Eventually.await(Duration.ofSeconds(20), () -> assertEquals(n, list(node, "").json().get("denials").size()));
    return list(node, "").json();
  }
}
