package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key against a real node, PostgreSQL and simulator: a repeat gets the first answer again (a stream
 * as the same events), marked replayed, and is neither billed nor counted; a repeat while the first is in
 * flight waits for it, or gets a 409 when it asks not to; the key for another request is a 422; a failed
 * request gives its key back.
 */
class IdempotencyTest {
  private UpstreamSimulator simulator;
  private TestNode node;
  private String key;

  @BeforeEach
  void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), new TestClock(Instant.now())));
    node.admin().createOrg("once", null);
    key = node.admin().issueKey("once");
  }

  @AfterEach
  void stop() {
    node.close();
    simulator.close();
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body, headers);
  }

  private long requestsCounted() {
    return node.admin().quota("once").at("/usage/monthly_requests").asLong();
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void aRepeatGetsTheSameAnswerUnbilled() {
    String body = ProxyClient.chat("gpt-4o-mini", "hello", 20, false);
    HttpResponse<String> first = post(body, Map.of("Idempotency-Key", "order-1"));
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(header(first, "Idempotent-Replayed") == null);
    Eventually.await(Duration.ofSeconds(10), () -> assertEquals(1, requestsCounted()));
    String spent = node.admin().quota("once").at("/usage/monthly_cost_usd").asText();

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> again = post(body, Map.of("Idempotency-Key", "order-1"));
      assertEquals(200, again.statusCode());
      assertEquals(first.body(), again.body(), "the same answer, byte for byte");
      assertEquals("true", header(again, "Idempotent-Replayed"));
      assertEquals(header(first, "X-Request-ID"), header(again, "X-Request-ID"), "it is the same request");
      assertEquals(header(first, "X-Tollgate-Cost-USD"), header(again, "X-Tollgate-Cost-USD"));
    }
    assertEquals(1, requestsCounted(), "counted once");
    assertEquals(spent, node.admin().quota("once").at("/usage/monthly_cost_usd").asText(), "billed once");
    Eventually.await(Duration.ofSeconds(20), () -> assertEquals(1,
        node.admin().call("GET", "/admin/orgs/once/requests", null).json().get("requests").size(), "one record"));

    HttpResponse<String> other = post(ProxyClient.chat("gpt-4o-mini", "something else", 20, false),
        Map.of("Idempotency-Key", "order-1"));
    assertEquals(422, other.statusCode(), other.body());
    assertEquals("idempotency_key_reused", ProxyClient.json(other).at("/error/code").asText());
    assertEquals(200, post(body, Map.of("Idempotency-Key", "order-2")).statusCode(), "another key is another request");
    Eventually.await(Duration.ofSeconds(10), () -> assertEquals(2, requestsCounted()));
  }

  @Test
  void aStreamIsReplayedAsTheSameEvents() {
    String body = ProxyClient.chat("gpt-4o-mini", "stream it", 20, true);
    HttpResponse<String> first = post(body, Map.of("Idempotency-Key", "s-1"));
    assertEquals(200, first.statusCode());
    assertTrue(first.body().contains("data: [DONE]"), first.body());
    Eventually.await(Duration.ofSeconds(10), () -> {
      HttpResponse<String> again = post(body, Map.of("Idempotency-Key", "s-1"));
      assertEquals("true", header(again, "Idempotent-Replayed"), "stored once the first was journaled");
      assertEquals(first.body(), again.body());
      assertTrue(header(again, "Content-Type").startsWith("text/event-stream"));
    });
    assertEquals(1, requestsCounted());
  }

  @Test
  void aRepeatWaitsForTheFirstInFlightOrIsToldItIsInFlight() throws Exception {
    String body = ProxyClient.chat("gpt-4o-mini", "slow", 20, false);
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
        () -> post(body, Map.of("Idempotency-Key", "slow-1", "X-Sim-Latency-Ms", "1500")));
    Thread.sleep(500);
    HttpResponse<String> impatient = post(body, Map.of("Idempotency-Key", "slow-1", "Prefer", "wait=0"));
    assertEquals(409, impatient.statusCode(), impatient.body());
    assertEquals("idempotency_conflict", ProxyClient.json(impatient).at("/error/code").asText());
    HttpResponse<String> patient = post(body, Map.of("Idempotency-Key", "slow-1"));
    assertEquals(200, patient.statusCode());
    assertEquals("true", header(patient, "Idempotent-Replayed"), "it waited for the first and got its answer");
    assertEquals(first.get().body(), patient.body());
    assertEquals(1, requestsCounted());
  }

  @Test
  void aFailedRequestGivesItsKeyBack() {
    String body = ProxyClient.chat("gpt-4o-mini", "flaky", 20, false);
    HttpResponse<String> failed = post(body, Map.of("Idempotency-Key", "f-1", "X-Sim-Fault", "500"));
    assertEquals(502, failed.statusCode());
    Eventually.await(Duration.ofSeconds(10), () -> {
      HttpResponse<String> retried = post(body, Map.of("Idempotency-Key", "f-1"));
      assertEquals(200, retried.statusCode(), "the failure was not kept: the retry runs");
      assertFalse("true".equals(header(retried, "Idempotent-Replayed")));
    });
    String wrongSecret = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");
    HttpResponse<String> denied = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", wrongSecret, body,
        Map.of("Idempotency-Key", "f-1"));
    assertEquals(401, denied.statusCode(), "a replay still needs a good key: " + denied.body());
  }
}
