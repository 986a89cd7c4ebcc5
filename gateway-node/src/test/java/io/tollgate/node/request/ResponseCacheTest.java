package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact response cache against a real node, PostgreSQL and simulator: a repeat of a request (its keys in any
 * order) is answered from the cache at no cost, recorded as cached with what it saved; another parameter or
 * another org misses; no-cache bypasses it; a stream is replayed as the same events.
 */
class ResponseCacheTest {
  private static final String CHAT = "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 20, \"messages\": [{\"role\": \"user\","
      + " \"content\": \"What is the capital of France?\"}]}";
  private static final String REORDERED = "{\"messages\": [{\"content\": \"What is the capital of France?\", \"role\":"
      + " \"user\"}], \"max_tokens\": 20, \"model\": \"gpt-4o-mini\"}";
  private UpstreamSimulator simulator;
  private TestNode node;

  @BeforeEach
  void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), new TestClock(Instant.now())));
  }

  @AfterEach
  void stop() {
    node.close();
    simulator.close();
  }

  private HttpResponse<String> post(String key, String body, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body, headers);
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private JsonNode logged(String org, String requestId) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(20), () -> {
      var reply = node.admin().call("GET", "/admin/orgs/" + org + "/requests/" + requestId, null);
      assertEquals(200, reply.status());
      found.set(reply.json());
    });
    return found.get();
  }

  @Test
  void aRepeatIsAnsweredFromTheCacheAtNoCost() {
    node.admin().createOrg("cached", null);
    String key = node.admin().issueKey("cached");
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/cached/policies", "{\"cache\": {\"ttl_seconds\": 3600}}")
        .status());
    HttpResponse<String> first = post(key, CHAT, Map.of());
    assertEquals("miss", header(first, "X-Tollgate-Cache"));
    BigDecimal cost = new BigDecimal(header(first, "X-Tollgate-Cost-USD"));
    assertTrue(cost.signum() > 0);
    long upstreamCalls = simulator.requests();

    // Until the first answer is kept (once journaled), a repeat misses and is answered afresh.
    Set<String> answers = new HashSet<>(Set.of(first.body()));
    AtomicReference<HttpResponse<String>> hit = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(10), () -> {
      HttpResponse<String> again = post(key, REORDERED, Map.of());
      if (!"hit".equals(header(again, "X-Tollgate-Cache"))) {
        answers.add(again.body());
      }
      assertEquals("hit", header(again, "X-Tollgate-Cache"), "kept once journaled; the keys in any order");
      hit.set(again);
    });
    assertTrue(answers.contains(hit.get().body()), "an answer the provider gave to this request");
    assertEquals(hit.get().body(), post(key, CHAT, Map.of()).body(), "and from then on that answer");
    assertEquals("0.000000000", header(hit.get(), "X-Tollgate-Cost-USD"));
    assertEquals("openai/gpt-4o-mini", header(hit.get(), "X-Tollgate-Served-By"));
    assertNotEquals(header(first, "X-Request-ID"), header(hit.get(), "X-Request-ID"), "a request of its own");
    JsonNode record = logged("cached", header(hit.get(), "X-Request-ID"));
    assertEquals("0.000000000", record.get("cost_usd").asText());
    assertEquals(0, cost.compareTo(new BigDecimal(record.get("saved_cost_usd").asText())), record.toString());
    assertTrue(record.get("flags").toString().contains("cached"), record.toString());

    long misses = simulator.requests();
    assertEquals("miss", header(post(key, CHAT.replace("20", "21"), Map.of()), "X-Tollgate-Cache"),
        "another parameter is another request");
    HttpResponse<String> fresh = post(key, CHAT, Map.of("Cache-Control", "no-cache"));
    assertEquals(null, header(fresh, "X-Tollgate-Cache"), "no-cache bypasses it");
    assertEquals(misses + 2, simulator.requests());
    assertTrue(upstreamCalls < simulator.requests());

    node.admin().createOrg("other", null);
    String otherKey = node.admin().issueKey("other");
    assertEquals("miss", header(post(otherKey, CHAT, Map.of("X-Tollgate-Cache", "use")), "X-Tollgate-Cache"),
        "never shared across orgs");
    assertEquals(400, post(otherKey, CHAT, Map.of("X-Tollgate-Cache", "maybe")).statusCode());
    Eventually.await(Duration.ofSeconds(10), () -> assertTrue(ProxyClient.get(node.managementUrl() + "/metrics")
        .contains("tollgate_cache_hits_total{provider=\"openai\"}")));
  }

  @Test
  void aStreamIsCachedAndReplayedAsTheSameEvents() {
    node.admin().createOrg("streams", null);
    String key = node.admin().issueKey("streams");
    String body = ProxyClient.chat("gpt-4o-mini", "stream it", 20, true);
    HttpResponse<String> first = post(key, body, Map.of("X-Tollgate-Cache", "use"));
    assertEquals("miss", header(first, "X-Tollgate-Cache"));
    Set<String> answers = new HashSet<>(Set.of(first.body()));
    AtomicReference<HttpResponse<String>> hit = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(10), () -> {
      HttpResponse<String> again = post(key, body, Map.of("X-Tollgate-Cache", "use"));
      if (!"hit".equals(header(again, "X-Tollgate-Cache"))) {
        answers.add(again.body());
      }
      assertEquals("hit", header(again, "X-Tollgate-Cache"));
      hit.set(again);
    });
    assertTrue(answers.contains(hit.get().body()), "the events of a stream the provider sent for this request");
    assertTrue(header(hit.get(), "Content-Type").startsWith("text/event-stream"));
  }
}
