package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.JournalLock;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A journal slower than the traffic makes new requests wait, not pile up: per org once a full batch waits
 * behind the write in flight, per node once too many answered requests wait for theirs. The journal is
 * made slow for real, by locking its table from another connection.
 */
class JournalBackPressureTest {
  private static final String BODY = ProxyClient.chat("gpt-4o-mini", "hi", 4, false);

  @Test
  void anOrgWhoseJournalIsBehindMakesNewRequestsWaitUntilItCatchesUp() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
            .withExtra("tollgate.org.max-batch = 2\ntollgate.org.max-journal-lag = 60s\ntollgate.admission.timeout = 20s"))) {
      node.admin().createOrg("behind", null);
      String key = node.admin().issueKey("behind");
      String url = node.baseUrl() + "/v1/chat/completions";
      try (JournalLock lock = JournalLock.take(node)) {
        // The first write goes out alone and hangs on the lock; the next two make a full batch behind it.
        // (Sent together, whether the first two share a write would depend on the 5 ms of gathering.)
        assertEquals(200, ProxyClient.post(url, key, BODY).statusCode());
        Eventually.await(Duration.ofSeconds(10), () -> assertEquals(1, lock.writersWaiting()));
        for (int i = 0; i < 2; i++) {
          assertEquals(200, ProxyClient.post(url, key, BODY).statusCode());
        }
        Eventually.await(Duration.ofSeconds(10),
            () -> assertEquals(3, node.admin().quota("behind").at("/usage/monthly_requests").asLong()));

        CompletableFuture<HttpResponse<String>> waiting = ProxyClient.postAsync(url, key, BODY);
        Thread.sleep(1_000);
        assertFalse(waiting.isDone(), () -> "admission waits while the journal is a full batch behind: " + waiting.join().body());
        lock.release();
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).statusCode(), "and goes on once it caught up");
      }
      Eventually.await(Duration.ofSeconds(10), () -> assertEquals(4, node.journal().usage("behind").size()));
    }
  }

  @Test
  void aNodeWithTooManyRequestsSettlingHoldsNewOnesBackThen503s() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
            .withExtra("tollgate.requests.max-settling = 2\ntollgate.org.max-journal-lag = 60s\ntollgate.admission.timeout = 2s"))) {
      for (String org : new String[] {"one", "two", "three"}) {
        node.admin().createOrg(org, null);
      }
      String url = node.baseUrl() + "/v1/chat/completions";
      String[] keys = {node.admin().issueKey("one"), node.admin().issueKey("two"), node.admin().issueKey("three")};
      try (JournalLock lock = JournalLock.take(node)) {
        assertEquals(200, ProxyClient.post(url, keys[0], BODY).statusCode());
        assertEquals(200, ProxyClient.post(url, keys[1], BODY).statusCode());
        Eventually.await(Duration.ofSeconds(10), () -> {
          assertEquals(1, node.admin().quota("one").at("/usage/monthly_requests").asLong());
          assertEquals(1, node.admin().quota("two").at("/usage/monthly_requests").asLong());
        });

        HttpResponse<String> shed = ProxyClient.post(url, keys[2], BODY); // another org: the limit is the node's
        assertEquals(503, shed.statusCode(), "after admission-timeout without room in the journal");
        assertEquals("1", shed.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(0, node.admin().quota("three").at("/usage/monthly_requests").asLong(), "a shed request is not counted");

        CompletableFuture<HttpResponse<String>> waiting = ProxyClient.postAsync(url, keys[2], BODY);
        Thread.sleep(500);
        assertFalse(waiting.isDone(), "held back while two requests wait for the journal");
        lock.release();
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).statusCode());
      }
      Eventually.await(Duration.ofSeconds(10), () -> assertEquals(1, node.journal().usage("three").size()));
    }
  }
}
