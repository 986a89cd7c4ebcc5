package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/orgs/{org}/usage} and the leaderboards: totals, series and ranks from {@code usage_daily},
 * each equal to the journaled records it covers.
 */
class UsageApiTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void usageUnderFiltersAndLeaderboardsEqualTheJournal() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
      try {
        node.admin().createOrg("big", null);
        node.admin().createOrg("small", null);
        String big = node.admin().issueKey("big");
        String small = node.admin().issueKey("small");
        send(node, big, "research", "u-7", 300);
        send(node, big, "research", "u-8", 20);
        send(node, big, "support", "u-7", 10);
        clock.advance(Duration.ofDays(1));
        send(node, big, "support", "u-7", 10);
        send(node, small, "ops", "u-1", 5);

        Eventually.await(Duration.ofSeconds(20), () -> {
          assertEquals(4, usage(node, "big", "from=2026-12-01&to=2026-12-02").json().at("/total/requests").asLong());
          assertEquals(1, usage(node, "small", "from=2026-12-01&to=2026-12-02").json().at("/total/requests").asLong());
        });
        List<UsageRecord> journaled = node.journal().usage("big");
        JsonNode all = usage(node, "big", "from=2026-12-01&to=2026-12-02").json();
        assertEquals(cost(journaled, r -> true), all.at("/total/cost_usd").asText(), "the journal's cost, exactly");
        assertEquals(2, all.get("series").size());
        assertEquals("2026-12-01", all.at("/series/0/day").asText());
        assertEquals(3, all.at("/series/0/requests").asLong());
        assertEquals(cost(journaled, r -> r.admittedAtMillis() >= clock.millis() - 1000), all.at("/series/1/cost_usd").asText());

        JsonNode ofUser = usage(node, "big", "from=2026-12-01&to=2026-12-02&user=u-7").json();
        assertEquals(3, ofUser.at("/total/requests").asLong());
        assertEquals(cost(journaled, r -> "u-7".equals(r.attribution().user())), ofUser.at("/total/cost_usd").asText());
        assertEquals("u-7", ofUser.at("/filters/user").asText());
        JsonNode byMonth = usage(node, "big", "from=2026-12-01&to=2026-12-02&by=month&team=support").json();
        assertEquals("2026-12", byMonth.at("/series/0/month").asText());
        assertEquals(2, byMonth.at("/series/0/requests").asLong());

        JsonNode teams = board(node, "/admin/orgs/big/usage/leaderboard?dimension=team&from=2026-12-01&to=2026-12-02").json();
        assertEquals("research", teams.at("/leaders/0/team").asText(), "the long answers cost most");
        assertEquals(1, teams.at("/leaders/0/rank").asInt());
        assertEquals(cost(journaled, r -> "research".equals(r.attribution().team())), teams.at("/leaders/0/cost_usd").asText());
        JsonNode users = board(node, "/admin/orgs/big/usage/leaderboard?dimension=user&metric=requests&limit=1"
            + "&from=2026-12-01&to=2026-12-02").json();
        assertEquals(1, users.get("leaders").size());
        assertEquals("u-7", users.at("/leaders/0/user").asText());
        assertEquals(3, users.at("/leaders/0/requests").asLong());

        JsonNode orgs = board(node, "/admin/usage/leaderboard?dimension=org&metric=tokens&from=2026-12-01&to=2026-12-02").json();
        assertEquals(List.of("big", "small"), values(orgs, "org"));

        JsonNode spend = node.admin().call("GET", "/admin/orgs/big/spend?by=user&from=2026-12-01&to=2026-12-02", null).json();
        assertEquals("u-7", spend.at("/groups/0/user").asText());

        assertEquals(400, board(node, "/admin/orgs/big/usage/leaderboard?dimension=org").status(), "the operator's");
        assertEquals(400, board(node, "/admin/orgs/big/usage/leaderboard").status(), "a dimension is needed");
        assertEquals(400, board(node, "/admin/orgs/big/usage/leaderboard?dimension=team&metric=joy").status());
        assertEquals(400, usage(node, "big", "colour=red").status());
        assertEquals(400, usage(node, "big", "by=week").status());
        assertEquals(404, usage(node, "nobody", "").status());
      } finally {
        node.close();
      }
    }
  }

  private static void send(TestNode node, String key, String team, String user, int tokens) {
    Map<String, String> headers = new HashMap<>(Map.of("X-Team-ID", team, "X-User-ID", user));
    headers.put("X-Sim-Completion-Tokens", Integer.toString(tokens));
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "usage", 1000, false), headers).statusCode());
  }

  private static Reply usage(TestNode node, String org, String query) {
    return node.admin().call("GET", "/admin/orgs/" + org + "/usage" + (query.isEmpty() ? "" : "?" + query), null);
  }

  private static Reply board(TestNode node, String path) {
    return node.admin().call("GET", path, null);
  }

  private static String cost(List<UsageRecord> records, Predicate<UsageRecord> which) {
    return Money.formatUsd(records.stream().filter(which).mapToLong(UsageRecord::costNanos).sum());
  }

  private static List<String> values(JsonNode board, String field) {
    List<String> values = new ArrayList<>();
    board.get("leaders").forEach(l -> values.add(l.get(field).asText()));
    return values;
  }
}
