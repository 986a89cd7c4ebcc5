package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The read model: the journal's usage projected into spend per agent, key and day, served by
 * {@code GET /admin/orgs/{org}/spend}, equal to the journaled records and never counted twice across a restart.
 */
class SpendReportTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T09:00:05Z"));
  /** An agent name with what an array literal must quote or escape: the read model takes its rows as arrays. */
  private static final String CODER = "coder, \"v2\" {beta} \\ NULL";

  @Test
  void spendPerAgentKeyAndDayEqualsTheJournalAndARestartCountsNothingTwice() {
    DatabaseSettings db = TestDatabases.freshSchema();
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
      String plannerKey;
      try {
        node.admin().createOrg("spender", null);
        plannerKey = node.admin().issueKey("spender");
        String coderKey = node.admin().issueKey("spender");
        for (int i = 0; i < 3; i++) {
          send(node, plannerKey, "planner", i % 2 == 0);
        }
        send(node, coderKey, CODER, true);
        send(node, coderKey, CODER, false);
        send(node, plannerKey, null, false);

        JsonNode byAgent = awaitRequests(node, "by=agent", 6);
        List<UsageRecord> journaled = node.journal().usage("spender");
        assertEquals(expected(journaled, r -> r.attribution().agent() == null ? "" : r.attribution().agent()),
            groups(byAgent, "agent"));
        assertEquals(Money.formatUsd(journaled.stream().mapToLong(UsageRecord::costNanos).sum()),
            byAgent.at("/total/cost_usd").asText());
        assertEquals(journaled.stream().mapToLong(r -> r.tokens().output()).sum(), byAgent.at("/total/tokens/output").asLong());
        assertTrue(Money.parseUsd(byAgent.at("/groups/0/cost_usd").asText())
            >= Money.parseUsd(byAgent.at("/groups/1/cost_usd").asText()), "most expensive first");
        assertTrue(byAgent.hasNonNull("last_projected_at"));

        assertEquals(expected(journaled, UsageRecord::keyId), groups(spend(node, "by=key").json(), "key"));
        JsonNode byDay = spend(node, "by=day").json();
        assertEquals("2026-11-22", byDay.at("/groups/0/day").asText());
        assertEquals(6, byDay.at("/groups/0/requests").asLong());
        assertEquals("2026-11-01", byDay.at("/from").asText(), "this month so far by default");
        assertEquals(0, spend(node, "from=2026-11-23&to=2026-11-30").json().at("/total/requests").asLong());

        assertEquals(400, spend(node, "by=colour").status());
        assertEquals(400, spend(node, "from=2026-13-01").status());
        assertEquals(400, spend(node, "from=2026-11-20&to=2026-11-01").status());
        assertEquals(400, spend(node, "from=2024-01-01&to=2026-11-01").status());
        assertEquals("invalid_request_error", spend(node, "by=colour").json().at("/error/type").asText());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/nobody/spend", null).status());
      } finally {
        node.close();
      }

      TestNode again = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
      try {
        send(again, plannerKey, "planner", false);
        JsonNode byAgent = awaitRequests(again, "by=agent", 7);
        assertEquals(expected(again.journal().usage("spender"),
            r -> r.attribution().agent() == null ? "" : r.attribution().agent()), groups(byAgent, "agent"),
            "the restarted projection resumed from its offset: nothing added twice");
      } finally {
        again.close();
      }
    }
  }

  private static void send(TestNode node, String key, String agent, boolean stream) {
    Map<String, String> headers = agent == null ? Map.of() : Map.of("X-Agent-ID", agent);
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "what does it cost?", 12, stream), headers).statusCode());
  }

  private static Reply spend(TestNode node, String query) {
    return node.admin().call("GET", "/admin/orgs/spender/spend?" + query, null);
  }

  private static JsonNode awaitRequests(TestNode node, String query, long requests) {
    Eventually.await(Duration.ofSeconds(20), () -> assertEquals(requests, spend(node, query).json().at("/total/requests").asLong()));
    return spend(node, query).json();
  }

  /** Requests and cost per group, from the journal's records. */
  private static Map<String, String> expected(List<UsageRecord> records, Function<UsageRecord, String> group) {
    Map<String, long[]> sums = new HashMap<>();
    for (UsageRecord r : records) {
      long[] s = sums.computeIfAbsent(group.apply(r), g -> new long[2]);
      s[0]++;
      s[1] += r.costNanos();
    }
    Map<String, String> out = new TreeMap<>();
    sums.forEach((g, s) -> out.put(g, s[0] + " requests, $" + Money.formatUsd(s[1])));
    return out;
  }

  private static Map<String, String> groups(JsonNode spend, String by) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode g : spend.get("groups")) {
      out.put(g.get(by).asText(), g.get("requests").asLong() + " requests, $" + g.get("cost_usd").asText());
    }
    return out;
  }
}
