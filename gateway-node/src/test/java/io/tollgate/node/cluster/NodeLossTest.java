package io.tollgate.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that dies without leaving takes its org actors with it: until the cluster has downed it, those
 * orgs cannot be decided (503, never a guess); then they move to the survivors with their journaled state.
 */
class NodeLossTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T07:00:05Z"));

  @Test
  void orgsOfACrashedNodeAnswer503UntilTheyMoveThenCarryOnWithTheirState() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      List<TestNode> nodes = TestNode.cluster(3, TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra("pekko.coordinated-shutdown.run-by-actor-system-terminate = off"));
      TestNode survivor = nodes.get(0);
      TestNode doomed = nodes.get(2);
      try {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < 12; i++) {
          String org = "loss-" + i;
          survivor.admin().createOrg(org, "{\"requests_per_minute\": 100}");
          keys.put(org, survivor.admin().issueKey(org));
          assertEquals(200, post(survivor, keys.get(org)).statusCode());
        }
        String victim = doomed.orgsHostedHere().stream().findFirst()
            .orElseThrow(() -> new AssertionError("no org landed on the third node"));
        Eventually.await(Duration.ofSeconds(10),
            () -> assertEquals(0, survivor.admin().quota(victim).at("/usage/in_flight").asLong()));

        doomed.crash();

        HttpResponse<String> undecided = post(survivor, keys.get(victim));
        assertEquals(503, undecided.statusCode(), undecided.body());
        assertEquals("service_unavailable", ProxyClient.json(undecided).at("/error/code").asText());

        Eventually.await(Duration.ofSeconds(45), () -> assertEquals(200, post(survivor, keys.get(victim)).statusCode()));
        Eventually.await(Duration.ofSeconds(10), () -> {
          JsonNode quota = survivor.admin().quota(victim);
          long requests = quota.at("/usage/monthly_requests").asLong();
          assertTrue(requests >= 2, "the request from before the crash is still counted: " + requests);
          assertEquals(requests, survivor.journal().usage(victim).size());
        });
      } finally {
        nodes.get(0).close();
        nodes.get(1).close();
      }
    }
  }

  private static HttpResponse<String> post(TestNode node, String key) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, ProxyClient.chat("gpt-4o-mini", "hello", 4, false));
  }
}
