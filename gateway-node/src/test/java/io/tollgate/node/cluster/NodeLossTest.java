package io.tollgate.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node that dies without leaving takes its org actors with it: until the cluster has downed it, those
 * orgs cannot be decided (never a guess). A request for one waits, asking again, up to the node's
 * admission retry horizon: with room for the downing it is answered once the org moved, counted once;
 * without (horizon 0) it is a 503. The org carries on with its journaled state.
 */
class NodeLossTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T07:00:05Z"));

  @Test
  void requestsForOrgsOfACrashedNodeWaitForThemToMoveOr503WithoutPatience() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode.Options options = TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra("pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
      TestNode impatient = TestNode.start(options.withExtra("tollgate.admission.retry-horizon = 0s"));
      String seed = "127.0.0.1:" + impatient.clusterPort();
      TestNode patient = TestNode.start(options.withSeed(seed).withExtra("tollgate.admission.retry-horizon = 25s"));
      TestNode doomed = TestNode.start(options.withSeed(seed));
      List.of(impatient, patient, doomed).forEach(node -> node.awaitMembersUp(3));
      try {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < 12; i++) {
          String org = "loss-" + i;
          impatient.admin().createOrg(org, "{\"requests_per_minute\": 100}");
          keys.put(org, impatient.admin().issueKey(org));
          assertEquals(200, post(impatient, keys.get(org)).statusCode());
        }
        String victim = doomed.orgsHostedHere().stream().findFirst()
            .orElseThrow(() -> new AssertionError("no org landed on the third node"));
        Eventually.await(Duration.ofSeconds(10),
            () -> assertEquals(0, impatient.admin().quota(victim).at("/usage/in_flight").asLong()));

        doomed.crash();

        CompletableFuture<HttpResponse<String>> waiting = ProxyClient.postAsync(
            patient.baseUrl() + "/v1/chat/completions", keys.get(victim), BODY);
        HttpResponse<String> undecided = post(impatient, keys.get(victim));
        assertEquals(503, undecided.statusCode(), undecided.body());
        assertEquals("service_unavailable", ProxyClient.json(undecided).at("/error/code").asText());

        HttpResponse<String> waited = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(200, waited.statusCode(), waited.body());
        String waitedId = waited.headers().firstValue("X-Request-ID").orElseThrow();
        Eventually.await(Duration.ofSeconds(10), () -> {
          List<UsageRecord> records = impatient.journal().usage(victim);
          assertEquals(2, records.size(), "the request from before the crash and the one that waited: " + records);
          assertEquals(1, records.stream().filter(r -> r.requestId().equals(waitedId)).count());
          JsonNode quota = impatient.admin().quota(victim);
          assertEquals(2, quota.at("/usage/monthly_requests").asLong(), "the 503 is not counted, the wait once");
          assertEquals(0, quota.at("/usage/in_flight").asLong(), "no hold left behind by the repeated asks");
        });
        assertEquals(200, post(impatient, keys.get(victim)).statusCode(), "and it carries on where it moved");
      } finally {
        impatient.close();
        patient.close();
      }
    }
  }

  private static final String BODY = ProxyClient.chat("gpt-4o-mini", "hello", 4, false);

  private static HttpResponse<String> post(TestNode node, String key) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, BODY);
  }
}
