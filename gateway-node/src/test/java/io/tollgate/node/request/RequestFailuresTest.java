package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever throws inside a request, at any stage, the client gets an answer and the node and the org get
 * back what the request held: its slot, and its hold (released if the upstream was never called, abandoned,
 * still counted, if it was). Before, an exception while the request actor was built (an overflowing
 * max_tokens) left the client without an answer and the slot taken for good.
 */
class RequestFailuresTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  /** Throws at the stage a request names in its {@code X-Tollgate-Tag-fail-at} header. */
  private static final RequestFaults AT_TAGGED_STAGE = (stage, call) -> {
    if (stage.name().toLowerCase(Locale.ROOT).equals(call.attribution().tags().get("fail-at"))) {
      throw new IllegalStateException("injected at " + stage);
    }
  };

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withFaults(AT_TAGGED_STAGE));
    node.admin().createOrg("failing", "{\"monthly_budget_usd\": \"10.00\"}");
    key = node.admin().issueKey("failing");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static HttpResponse<String> send(String stage, boolean stream) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 8, stream), Map.of("X-Tollgate-Tag-fail-at", stage));
  }

  private static void expectReleased(long requests, long abandoned) {
    Eventually.await(Duration.ofSeconds(10), () -> {
      assertEquals(0, node.node().requestsInFlight(), "the node's slot is back");
      JsonNode quota = node.admin().quota("failing");
      assertEquals(0, quota.at("/usage/in_flight").asLong(), "no hold left: " + quota);
      assertEquals(requests, quota.at("/usage/monthly_requests").asLong(), quota.toString());
      assertEquals(abandoned, quota.at("/usage/abandoned_requests").asLong(), quota.toString());
    });
  }

  @Test
  void everyStageAnswersAndReleasesWhatItHolds() {
    HttpResponse<String> admitting = send("admitting", false);
    assertEquals(500, admitting.statusCode(), admitting.body());
    assertEquals("internal", admitting.headers().firstValue("X-Tollgate-Error").orElse(""));
    assertTrue(ProxyClient.json(admitting).at("/error/message").asText().contains("failed to handle"));
    expectReleased(0, 0);

    assertEquals(500, send("calling", false).statusCode());
    expectReleased(0, 0); // nothing reached the upstream: released as if never admitted

    assertEquals(500, send("answering", false).statusCode());
    expectReleased(1, 1); // the upstream answered; what it used is unknown, so the hold stays counted

    assertEquals(200, send("settling", false).statusCode(), "the answer was out before the failure");
    expectReleased(2, 2);

    HttpResponse<String> streamed = send("streamed", true);
    assertEquals(200, streamed.statusCode());
    assertTrue(streamed.body().contains("[DONE]"), "the stream was delivered whole");
    expectReleased(3, 3);

    assertEquals(200, send("settling", true).statusCode());
    expectReleased(4, 4);

    assertEquals(200, send("none", false).statusCode(), "and the next request is served");
    expectReleased(5, 4);
  }
}
