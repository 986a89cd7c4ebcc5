package io.tollgate.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an org knows survives its actor: stopped nodes started again on the same database, or an org
 * passivated for being idle, come back with the same quota view, keys and limits.
 */
class RestartTest {
  /** The clock stands still, so "this minute" is the same minute before and after the restart. */
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T08:30:05Z"));
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static Map<String, String> traffic(TestNode node, List<String> orgs) {
    Map<String, String> keys = new HashMap<>();
    for (String org : orgs) {
      node.admin().createOrg(org, "{\"requests_per_minute\": 50, \"tokens_per_minute\": 100000,"
          + " \"monthly_requests\": 1000, \"monthly_budget_usd\": \"5.00\"}");
      String key = node.admin().issueKey(org);
      keys.put(org, key);
      String revoked = node.admin().issueKey(org);
      node.admin().call("DELETE", "/admin/orgs/" + org + "/keys/" + revoked.split("_")[2], null);
      for (int i = 0; i < 3; i++) {
        assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
            ProxyClient.chat("gpt-4o-mini", "request " + i, 10, i % 2 == 0),
            Map.of("X-Team-ID", "team-" + i % 2, "X-Customer-ID", "acme")).statusCode());
      }
    }
    return keys;
  }

  private static Map<String, List<JsonNode>> views(TestNode node, List<String> orgs) {
    Map<String, List<JsonNode>> views = new HashMap<>();
    for (String org : orgs) {
      Eventually.await(Duration.ofSeconds(10), () -> assertEquals(0, node.admin().quota(org).at("/usage/in_flight").asLong()));
      // Every request's usage in the book (a key's last use is folded from the journal): the active key was used.
      Eventually.await(Duration.ofSeconds(10), () -> node.admin().call("GET", "/admin/orgs/" + org + "/keys", null).json()
          .get("keys").forEach(k -> assertTrue(!k.get("revoked_at").isNull() || !k.get("last_used_at").isNull(), k.toString())));
      views.put(org, List.of(node.admin().quota(org), node.admin().call("GET", "/admin/orgs/" + org, null).json(),
          node.admin().call("GET", "/admin/orgs/" + org + "/keys", null).json(),
          node.admin().call("GET", "/admin/orgs/" + org + "/quota/scopes?scope=team", null).json(),
          node.admin().call("GET", "/admin/orgs/" + org + "/quota/scopes?scope=customer", null).json()));
    }
    return views;
  }

  @Test
  void stoppedNodesStartedAgainOnTheSameDatabaseShowTheSameState() {
    DatabaseSettings db = TestDatabases.freshSchema();
    List<String> orgs = List.of("r-one", "r-two", "r-three", "r-four");
    List<TestNode> before = TestNode.cluster(2, TestNode.options(db, simulator.baseUrl(), clock));
    Map<String, String> keys = traffic(before.get(0), orgs);
    Map<String, List<JsonNode>> seen = views(before.get(1), orgs);
    assertEquals(3, seen.get("r-one").get(0).at("/usage/requests_this_minute").asLong());
    assertEquals(2, seen.get("r-one").get(3).get("values").size(), "two teams tracked");
    assertEquals(3, seen.get("r-one").get(4).at("/values/0/usage/minute/requests").asLong(), "the customer's three");
    before.forEach(TestNode::close);

    List<TestNode> after = TestNode.cluster(2, TestNode.options(db, simulator.baseUrl(), clock));
    try {
      assertEquals(seen, views(after.get(0), orgs), "quota views, orgs, keys and every scope's counters are identical");
      assertEquals(200, ProxyClient.post(after.get(1).baseUrl() + "/v1/chat/completions", keys.get("r-two"),
          ProxyClient.chat("gpt-4o-mini", "again", 10, false)).statusCode());
      Eventually.await(Duration.ofSeconds(10), () ->
          assertEquals(4, after.get(0).admin().quota("r-two").at("/usage/requests_this_minute").asLong(),
              "the minute's window resumed where it was"));
    } finally {
      after.forEach(TestNode::close);
    }
  }

  @Test
  void aGracefulStopFinishesTheStreamsInFlightAndJournalsThem() throws Exception {
    DatabaseSettings db = TestDatabases.freshSchema();
    TestNode node = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
    node.admin().createOrg("draining", null);
    String key = node.admin().issueKey("draining");
    HttpRequest request = ProxyClient.request(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "a slow story", 20, true),
        Map.of("X-Sim-Chunk-Delay-Ms", "100", "X-Sim-Completion-Tokens", "20"));
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = response.body();
    byte[] first = body.readNBytes(100); // the stream is flowing

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(node::close);
    String rest = new String(body.readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(rest.endsWith("data: [DONE]\n\n"), "the stream in flight ran to its end");
    assertEquals(100, first.length);
    stopping.get(60, TimeUnit.SECONDS);

    TestNode again = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
    try {
      List<UsageRecord> journaled = again.journal().usage("draining");
      assertEquals(1, journaled.size(), "its usage was journaled before the node left");
      assertEquals(Outcome.COMPLETED, journaled.get(0).outcome());
      assertEquals(20, journaled.get(0).tokens().output());
    } finally {
      again.close();
    }
  }

  @Test
  void anIdleOrgPassivatesAndComesBackIdentical() {
    TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
        .withExtra("tollgate.org.passivate-after = 2s"));
    try {
      List<String> orgs = List.of("idle");
      traffic(node, orgs);
      Map<String, List<JsonNode>> seen = views(node, orgs);
      assertTrue(node.orgsHostedHere().contains("idle"));
      Eventually.await(Duration.ofSeconds(20), () -> assertFalse(node.orgsHostedHere().contains("idle"), "passivated"));
      assertEquals(seen, views(node, orgs));
    } finally {
      node.close();
    }
  }
}
