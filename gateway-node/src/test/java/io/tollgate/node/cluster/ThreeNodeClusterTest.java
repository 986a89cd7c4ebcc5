package io.tollgate.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM behave as one gateway: one org actor per org, wherever the request lands. */
class ThreeNodeClusterTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T09:00:10Z"));
  private static UpstreamSimulator simulator;
  private static List<TestNode> nodes;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(20)));
    nodes = TestNode.cluster(3, TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
  }

  @AfterAll
  static void stop() {
    nodes.forEach(TestNode::close);
    simulator.close();
  }

  private static String url(int node) {
    return nodes.get(node % 3).baseUrl() + "/v1/chat/completions";
  }

  @Test
  void aLimitHoldsExactlyForRequestsSpreadOverEveryNode() {
    nodes.get(0).admin().createOrg("spread", "{\"requests_per_minute\": 10}");
    String key = nodes.get(1).admin().issueKey("spread");
    String body = ProxyClient.chat("gpt-4o-mini", "hello", 4, false);
    List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 30)
        .mapToObj(i -> ProxyClient.postAsync(url(i), key, body)).toList();
    List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

    assertEquals(10, responses.stream().filter(r -> r.statusCode() == 200).count());
    assertEquals(20, responses.stream().filter(r -> r.statusCode() == 429).count());
    for (int n = 0; n < 3; n++) {
      int node = n;
      long servedHere = IntStream.range(0, 30).filter(i -> i % 3 == node).count();
      assertEquals(10, servedHere, "each node took a third of the requests");
    }
    Eventually.await(Duration.ofSeconds(10), () -> {
      for (TestNode node : nodes) {
        JsonNode quota = node.admin().quota("spread");
        assertEquals(10, quota.at("/usage/requests_this_minute").asLong());
        assertEquals(10, quota.at("/usage/monthly_requests").asLong());
      }
    });
  }

  @Test
  void aKeyRevokedThroughOneNodeIsRefusedOnTheOthersAtOnce() {
    nodes.get(0).admin().createOrg("revoke", null);
    String key = nodes.get(0).admin().issueKey("revoke");
    String body = ProxyClient.chat("gpt-4o-mini", "hello", 4, false);
    for (int n = 0; n < 3; n++) {
      assertEquals(200, ProxyClient.post(url(n), key, body).statusCode());
    }
    String keyId = key.split("_")[2];
    assertEquals(200, nodes.get(1).admin().call("DELETE", "/admin/orgs/revoke/keys/" + keyId, null).status());
    for (int n = 0; n < 3; n++) {
      HttpResponse<String> refused = ProxyClient.post(url(n), key, body);
      assertEquals(401, refused.statusCode(), "node " + n);
      assertEquals("invalid_api_key", ProxyClient.json(refused).at("/error/code").asText());
    }
  }
}
