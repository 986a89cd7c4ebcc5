package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/orgs/{org}/sessions}: per session, what its requests used and cost (equal to the journal),
 * its errors and its requests in order; completed after the idle time or when closed, active again on its
 * next request.
 */
class SessionsApiTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void aSessionSumsItsRequestsExactlyAndCompletesWhenIdleOrClosed() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock)
          .withExtra("tollgate.records.session-idle = 10m"));
      try {
        node.admin().createOrg("agents", null);
        String key = node.admin().issueKey("agents");
        Map<String, String> s1 = Map.of("X-Session-ID", "s-1", "X-Agent-ID", "planner", "X-Customer-ID", "c-1");
        List<String> s1Requests = new ArrayList<>();
        s1Requests.add(send(node, key, s1, 12));
        clock.advance(Duration.ofSeconds(5));
        s1Requests.add(send(node, key, s1, 40));
        clock.advance(Duration.ofSeconds(5));
        s1Requests.add(send(node, key, Map.of("X-Session-ID", "s-1", "X-Sim-Fault", "500"), 12));
        clock.advance(Duration.ofMinutes(1));
        send(node, key, Map.of("X-Session-ID", "s-2", "X-Agent-ID", "coder"), 500);
        send(node, key, Map.of(), 12); // no session

        Eventually.await(Duration.ofSeconds(20), () -> assertEquals(4, requests(one(node, "s-1")) + requests(one(node, "s-2"))));
        List<UsageRecord> journaled = node.journal().usage("agents");
        JsonNode first = one(node, "s-1");
        List<UsageRecord> ofS1 = journaled.stream().filter(r -> "s-1".equals(r.attribution().session())).toList();
        assertEquals(3, first.get("request_count").asLong());
        assertEquals(Money.formatUsd(ofS1.stream().mapToLong(UsageRecord::costNanos).sum()), first.get("cost_usd").asText(),
            "the journaled cost of its requests, exactly");
        assertEquals(ofS1.stream().mapToLong(r -> r.tokens().output()).sum(), first.at("/tokens/output").asLong());
        assertEquals(1, first.get("errors").asLong(), "the provider's 500");
        assertEquals("planner", first.get("agent").asText());
        assertEquals("c-1", first.get("customer").asText());
        assertEquals("2026-12-03T10:00:00Z", first.get("first_request_at").asText());
        assertEquals("2026-12-03T10:00:10Z", first.get("last_request_at").asText());
        assertEquals("active", first.get("status").asText());
        List<String> inOrder = new ArrayList<>();
        first.get("requests").forEach(r -> inOrder.add(r.get("id").asText()));
        assertEquals(s1Requests, inOrder, "its requests in the order they came");

        assertEquals(List.of("s-2", "s-1"), ids(list(node, "").json()), "most recent first");
        assertEquals(List.of("s-2", "s-1"), ids(list(node, "sort=cost").json()), "the long answer cost most");
        assertEquals(List.of("s-1"), ids(list(node, "agent=planner").json()));
        assertEquals(List.of("s-2"), ids(list(node, "limit=1").json()));
        String cursor = list(node, "limit=1").json().get("next_cursor").asText();
        assertEquals(List.of("s-1"), ids(list(node, "limit=1&cursor=" + cursor).json()), "the next page");

        clock.advance(Duration.ofMinutes(9).plusSeconds(30));
        assertEquals(List.of("s-1"), ids(list(node, "status=completed").json()), "ten minutes without a request");
        assertEquals(List.of("s-2"), ids(list(node, "status=active").json()));

        assertEquals(200, node.admin().call("POST", "/admin/orgs/agents/sessions/s-2/close", null).status());
        Eventually.await(Duration.ofSeconds(20), () -> assertEquals("completed", one(node, "s-2").get("status").asText()));
        assertTrue(one(node, "s-2").hasNonNull("closed_at"));
        clock.advance(Duration.ofSeconds(1));
        send(node, key, Map.of("X-Session-ID", "s-2"), 12);
        Eventually.await(Duration.ofSeconds(20), () -> assertEquals("active", one(node, "s-2").get("status").asText(),
            "a request after the close opens it again"));

        assertEquals(404, node.admin().call("GET", "/admin/orgs/agents/sessions/s-9", null).status());
        assertEquals(404, node.admin().call("POST", "/admin/orgs/agents/sessions/s-9/close", null).status());
        assertEquals(400, list(node, "status=sleeping").status());
        assertEquals(400, list(node, "sort=name").status());
        assertEquals(400, list(node, "model=gpt-4o").status(), "not a filter of sessions");
      } finally {
        node.close();
      }
    }
  }

  private static String send(TestNode node, String key, Map<String, String> headers, int tokens) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("X-Sim-Completion-Tokens", Integer.toString(tokens));
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "a step", 1000, false), all).headers().firstValue("X-Request-ID").orElseThrow();
  }

  private static Reply list(TestNode node, String query) {
    return node.admin().call("GET", "/admin/orgs/agents/sessions" + (query.isEmpty() ? "" : "?" + query), null);
  }

  private static JsonNode one(TestNode node, String session) {
    return node.admin().call("GET", "/admin/orgs/agents/sessions/" + session, null).json();
  }

  private static long requests(JsonNode session) {
    return session.path("requests").isArray() ? session.get("requests").size() : 0;
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("sessions").forEach(s -> ids.add(s.get("id").asText()));
    return ids;
  }
}
