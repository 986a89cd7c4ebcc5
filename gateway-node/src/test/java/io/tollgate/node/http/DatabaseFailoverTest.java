package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.OrgTraffic;
import io.tollgate.node.testkit.TcpRelay;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The database host dies without a word (its connections go silent, nothing is reset) and a standby takes over
 * its address. The node must notice, say so on {@code /health/ready} rather than hang there, and come back
 * on the new server without waiting for the kernel to give up on the dead connections (~15 minutes); every
 * answer it gave is journaled once.
 */
class DatabaseFailoverTest {
  private static final int ORGS = 6;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aNodeReportsTheDeadDatabaseAndServesAgainOnItsStandby() throws Exception {
    try (TcpRelay.ToDatabase database = TcpRelay.toDatabase(TestDatabases.freshSchema());
        UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = TestNode.start(TestNode.options(database.settings(), simulator.baseUrl(),
            Clock.systemUTC()).withExtra("tollgate.db.socket-timeout = 5s"))) {
      TcpRelay relay = database.relay();
      OrgTraffic traffic = OrgTraffic.create(node, "failover-", ORGS);
      CompletableFuture.allOf(traffic.sendRoundAsync().toArray(CompletableFuture[]::new)).join();
      assertEquals(200, ready(node).statusCode());

      relay.blackhole();
      long diedNanos = System.nanoTime();
      List<CompletableFuture<?>> sent = new ArrayList<>();
      long reportedDownAfterMs = -1;
      while (System.nanoTime() - diedNanos < Duration.ofSeconds(12).toNanos()) {
        // Requests that fail or time out meanwhile are simply not counted as answered.
        traffic.sendRoundAsync().forEach(request -> sent.add(request.exceptionally(e -> null)));
        // Answers within the probe's timeout, whatever the database does.
        HttpResponse<String> ready = ready(node);
        if (reportedDownAfterMs < 0 && ready.statusCode() == 503
            && ready.body().contains("\"journal_reachable\":false")) {
          reportedDownAfterMs = Duration.ofNanos(System.nanoTime() - diedNanos).toMillis();
        }
        Thread.sleep(1_000);
      }
      // A ping every second, unanswered for 2 s: reported within ~3 s, plus this loop's 1 s between probes.
      assertTrue(reportedDownAfterMs >= 0 && reportedDownAfterMs < 6_000,
          "the node reported its database unreachable " + reportedDownAfterMs + " ms after it died");

      relay.failover();
      long backNanos = System.nanoTime();
      Eventually.await(Duration.ofSeconds(40), () -> {
        assertEquals(200, ready(node).statusCode(), "ready again");
        traffic.assertEveryOrgAnswers();
      });
      long servedAfterMs = Duration.ofNanos(System.nanoTime() - backNanos).toMillis();
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();

      traffic.awaitJournalHoldsWhatWasAnswered(Duration.ofSeconds(60));
      assertTrue(servedAfterMs < 40_000, "served again " + servedAfterMs + " ms after the standby took over");
    }
  }

  private static HttpResponse<String> ready(TestNode node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("/health/ready did not answer within 5 s", e);
    }
  }
}
