package io.tollgate.node.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.FailingUpstream;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several deployments of a provider, against real simulators: one always failing is retried around (no client
 * sees its errors, each request counts once) and its breaker opens; a provider of one deployment passes its
 * failure on as before.
 */
class UpstreamFailoverTest {
  private static final String CHAT = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
  private final TestClock clock = new TestClock(Instant.now());

  private static Map<String, JsonNode> deployments(TestNode node) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode p : node.admin().call("GET", "/admin/upstreams", null).json().get("providers")) {
      if (p.get("provider").asText().equals("openai")) {
        p.get("deployments").forEach(d -> byName.put(d.get("name").asText(), d));
      }
    }
    return byName;
  }

  @Test
  void aFailingDeploymentIsRetriedAroundAndItsBreakerOpens() {
    try (UpstreamSimulator good = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        FailingUpstream bad = new FailingUpstream()) {
      String list = "[{\"name\": \"east\", \"base_url\": \"" + bad.url() + "\", \"api_key\": \"sk-east\"},"
          + " {\"name\": \"west\", \"base_url\": \"" + good.baseUrl() + "\", \"api_key\": \"sk-west\", \"weight\": 2}]";
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), good.baseUrl(), clock)
          .withExtra("tollgate.providers.openai.upstreams = \"\"\"" + list + "\"\"\"\n"
              + "tollgate.providers.resilience.retry-backoff = 5ms"));
      try {
        node.admin().createOrg("resilient", null);
        String key = node.admin().issueKey("resilient");
        // East is picked a third of the time: send until its breaker opens (five failures in a row), at most 90.
        int sent = 0;
        while (sent < 90 && (sent < 30 || !deployments(node).get("east").get("state").asText().equals("open"))) {
          assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT).statusCode(),
              "request " + sent + ": east's 503s were retried on west");
          sent++;
        }
        int requests = sent;
        Map<String, JsonNode> upstreams = deployments(node);
        JsonNode east = upstreams.get("east");
        assertEquals("open", east.get("state").asText(), east.toString());
        assertTrue(east.get("failures").asLong() >= 5, east.toString());
        assertEquals(east.get("requests").asLong(), east.get("failures").asLong(), "east never answered well");
        assertEquals(requests, upstreams.get("west").get("requests").asLong(), "west served every request once");
        assertEquals("closed", upstreams.get("west").get("state").asText());
        assertTrue(upstreams.get("west").get("base_url").asText().startsWith("http://127.0.0.1:"));
        assertTrue(!node.admin().call("GET", "/admin/upstreams", null).json().toString().contains("sk-"),
            "no key is shown");
        Eventually.await(Duration.ofSeconds(10), () -> assertEquals(requests,
            node.admin().quota("resilient").at("/usage/monthly_requests").asLong(), "each client request once"));
        Eventually.await(Duration.ofSeconds(20), () -> {
          JsonNode logged = node.admin().call("GET", "/admin/orgs/resilient/requests?limit=100", null).json().get("requests");
          assertEquals(requests, logged.size());
          long failedTries = 0;
          for (JsonNode r : logged) {
            for (JsonNode attempt : r.get("attempts")) {
              assertEquals("east", attempt.get("deployment").asText());
              assertEquals(503, attempt.get("status").asInt());
              failedTries++;
            }
          }
          assertEquals(east.get("requests").asLong(), failedTries, "every call to east is on record");
        });

        long before = east.get("requests").asLong();
        assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT).statusCode());
        assertEquals(before, deployments(node).get("east").get("requests").asLong(), "open: east gets no calls");
        clock.advance(Duration.ofSeconds(31));
        assertEquals("half_open", deployments(node).get("east").get("state").asText(), "after 30 s, a probe may go");
      } finally {
        node.close();
      }
    }
  }

  @Test
  void aProviderOfOneDeploymentPassesItsFailureOn() {
    try (UpstreamSimulator bad = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults().withErrorRate(1.0))) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), bad.baseUrl(), clock));
      try {
        node.admin().createOrg("single", null);
        String key = node.admin().issueKey("single");
        assertEquals(502, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT).statusCode(),
            "nowhere else to go: the provider's 500 is passed on as a 502");
        JsonNode only = deployments(node).get("openai");
        assertEquals(1, only.get("requests").asLong(), "tried once");
        assertEquals(1, only.get("weight").asInt());
      } finally {
        node.close();
      }
    }
  }
}
