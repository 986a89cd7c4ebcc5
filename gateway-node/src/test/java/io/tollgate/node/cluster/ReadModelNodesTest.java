package io.tollgate.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Nodes started with {@code TOLLGATE_READ_MODELS=off} serve requests but never run a projection: a cluster of
 * such nodes journals everything and projects nothing, and a node that may run them, once it joins, catches up.
 */
class ReadModelNodesTest {
  @Test
  void projectionsRunOnlyOnNodesThatMayRunThem() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode.Options options = TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC());
      TestNode serving = TestNode.start(options.withExtra("tollgate.records.read-models = off"));
      TestNode reading = null;
      try {
        serving.admin().createOrg("split", null);
        String key = serving.admin().issueKey("split");
        String id = ProxyClient.post(serving.baseUrl() + "/v1/chat/completions", key,
            ProxyClient.chat("gpt-4o-mini", "Hello", 20, false)).headers().firstValue("X-Request-ID").orElseThrow();
        Eventually.await(Duration.ofSeconds(10), () -> {
          JsonNode requestLog = projection(serving, "request-log");
          // The key's issue on the audit trail, and the request's usage.
          assertEquals(2, requestLog.get("pending_events").asInt(), requestLog.toString());
        });
        assertTrue(serving.admin().call("GET", "/admin/orgs/split/requests", null).json().get("requests").isEmpty(),
            "nothing is projected while no node may run the projections");
        assertEquals("[]", serving.admin().call("GET", "/admin/cluster", null).json().at("/members/0/roles").toString());

        reading = TestNode.start(options.withSeed("127.0.0.1:" + serving.clusterPort()));
        reading.awaitMembersUp(2);
        Eventually.await(Duration.ofSeconds(30), () -> assertEquals(id, serving.admin()
            .call("GET", "/admin/orgs/split/requests", null).json().at("/requests/0/id").asText()));
        Eventually.await(Duration.ofSeconds(10), () ->
            assertEquals(0, projection(serving, "request-log").get("pending_events").asInt()));
      } finally {
        if (reading != null) {
          reading.close();
        }
        serving.close();
      }
    }
  }

  private static JsonNode projection(TestNode node, String name) {
    for (JsonNode p : node.admin().call("GET", "/admin/cluster", null).json().get("projections")) {
      if (p.get("projection").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no projection " + name);
  }
}
