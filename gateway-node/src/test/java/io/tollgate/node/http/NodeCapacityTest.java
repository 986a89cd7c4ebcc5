package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A node at its limit of requests in flight sheds new ones at once, with 503 and Retry-After, not memory. */
class NodeCapacityTest {

  @Test
  void requestsBeyondTheNodesCapacityAre503WithRetryAfter() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0,
        SimulatorSettings.defaults().withLatency(Duration.ofMillis(800)));
        TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
            .withExtra("tollgate.requests.max-in-flight = 3"))) {
      node.admin().createOrg("busy", null);
      String key = node.admin().issueKey("busy");
      List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 8)
          .mapToObj(i -> ProxyClient.postAsync(node.baseUrl() + "/v1/chat/completions", key,
              ProxyClient.chat("gpt-4o-mini", "hi", 4, false))).toList();
      List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
      long served = responses.stream().filter(r -> r.statusCode() == 200).count();
      List<HttpResponse<String>> shed = responses.stream().filter(r -> r.statusCode() == 503).toList();
      assertTrue(served >= 1 && served <= 3, "at most the capacity is served at once: " + served);
      assertEquals(8, served + shed.size());
      assertEquals("1", shed.get(0).headers().firstValue("Retry-After").orElseThrow());
      assertEquals("service_unavailable", ProxyClient.json(shed.get(0)).at("/error/code").asText());
    }
  }
}
