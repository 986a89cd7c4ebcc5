package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Outcomes: an application reports them with its own key ({@code POST /v1/outcomes}, idempotent by id), an
 * admin confirms or rejects them, and the ROI sets the confirmed value against the journaled cost.
 */
class OutcomesApiTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void reportedOutcomesAreReviewedAndTheRoiSetsConfirmedValueAgainstTheJournaledCost() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
      try {
        node.admin().createOrg("earner", null);
        String key = node.admin().issueKey("earner");
        send(node, key, "s-1", "planner");
        send(node, key, "s-1", "planner");
        send(node, key, "s-2", "coder");

        assertEquals(201, report(node, key, "{\"id\": \"o-1\", \"session_id\": \"s-1\", \"name\": \"ticket_resolved\","
            + " \"value_usd\": \"12.50\", \"metadata\": {\"ticket\": \"T-1\"}}").statusCode());
        HttpResponse<String> again = report(node, key, "{\"id\": \"o-1\", \"session_id\": \"s-1\","
            + " \"name\": \"ticket_resolved\", \"value_usd\": \"99\"}");
        assertEquals(201, again.statusCode(), "a repeat is accepted");
        assertEquals(201, report(node, key, "{\"id\": \"o-2\", \"session_id\": \"s-2\", \"name\": \"ticket_resolved\","
            + " \"value_usd\": \"3.00\"}").statusCode());
        assertEquals(201, report(node, key, "{\"id\": \"o-3\", \"name\": \"upsell\", \"value_usd\": \"100\"}",
            Map.of("X-Session-ID", "s-1")).statusCode());

        HttpResponse<String> number = report(node, key, "{\"id\": \"o-4\", \"name\": \"x\", \"value_usd\": 12.5}");
        assertEquals(400, number.statusCode());
        assertTrue(ProxyClient.json(number).at("/error/message").asText().contains("decimal string"), number.body());
        assertEquals(400, report(node, key, "{\"name\": \"x\"}").statusCode(), "an id is required");
        assertEquals(400, report(node, key, "{\"id\": \"o-5\", \"name\": \"x\", \"value_usd\": \"-1\"}").statusCode());
        assertEquals(400, report(node, key, "[]").statusCode());
        assertEquals(401, report(node, null, "{\"id\": \"o-6\", \"name\": \"x\"}").statusCode());
        assertEquals(401, report(node, key + "x", "{\"id\": \"o-7\", \"name\": \"x\"}").statusCode());

        Eventually.await(Duration.ofSeconds(20), () -> assertEquals(3, outcomes(node, "").get("outcomes").size()));
        JsonNode first = node.admin().call("GET", "/admin/orgs/earner/outcomes/o-1", null).json();
        assertEquals("12.500000000", first.get("value_usd").asText(), "the first report of an id is kept");
        assertEquals("planner", first.get("agent").asText(), "its session's agent");
        assertEquals("T-1", first.at("/metadata/ticket").asText());
        assertEquals("recorded", first.get("status").asText());

        assertEquals(200, review(node, "o-1", "confirm"));
        assertEquals(200, review(node, "o-3", "confirm"));
        assertEquals(200, review(node, "o-2", "reject"));
        assertEquals(404, review(node, "o-9", "confirm"));
        Eventually.await(Duration.ofSeconds(20), () -> assertEquals(2, outcomes(node, "status=confirmed").get("outcomes").size()));
        Eventually.await(Duration.ofSeconds(20), () -> assertEquals("rejected",
            node.admin().call("GET", "/admin/orgs/earner/outcomes/o-2", null).json().get("status").asText()));
        assertEquals("alice", node.admin().call("GET", "/admin/orgs/earner/outcomes/o-2", null).json()
            .get("reviewed_by").asText());
        Eventually.await(Duration.ofSeconds(20), () -> assertEquals(3, node.admin().call("GET",
            "/admin/orgs/earner/spend?from=2026-12-01&to=2026-12-31", null).json().at("/total/requests").asLong()));

        List<UsageRecord> journaled = node.journal().usage("earner");
        long planner = cost(journaled, "planner");
        long coder = cost(journaled, "coder");
        JsonNode byAgent = node.admin().call("GET", "/admin/orgs/earner/roi?by=agent&from=2026-12-01&to=2026-12-31", null)
            .json();
        JsonNode plannerRow = group(byAgent, "agent", "planner");
        assertEquals(Money.formatUsd(planner), plannerRow.get("cost_usd").asText(), "the agent's journaled cost");
        assertEquals("112.500000000", plannerRow.get("confirmed_value_usd").asText());
        assertEquals(2, plannerRow.get("confirmed_outcomes").asLong());
        assertEquals(BigDecimal.valueOf(Money.parseUsd("112.5")).divide(BigDecimal.valueOf(planner), 4,
            RoundingMode.HALF_UP).toPlainString(), plannerRow.get("value_per_cost").asText());
        assertEquals(Money.formatUsd((planner + 1) / 2), plannerRow.get("cost_per_confirmed_outcome_usd").asText());
        JsonNode coderRow = group(byAgent, "agent", "coder");
        assertEquals("0.000000000", coderRow.get("confirmed_value_usd").asText(), "its outcome was rejected");
        assertTrue(coderRow.get("cost_per_confirmed_outcome_usd").isNull());
        assertEquals(Money.formatUsd(planner + coder), byAgent.at("/total/cost_usd").asText());

        JsonNode byOutcome = node.admin().call("GET", "/admin/orgs/earner/roi?by=outcome&from=2026-12-01&to=2026-12-31",
            null).json();
        assertEquals(Money.formatUsd(planner + coder), group(byOutcome, "outcome", "ticket_resolved").get("cost_usd").asText(),
            "the sessions that produced one");
        assertEquals(Money.formatUsd(planner), group(byOutcome, "outcome", "upsell").get("cost_usd").asText());

        JsonNode session = node.admin().call("GET", "/admin/orgs/earner/sessions/s-1", null).json();
        List<String> ids = new ArrayList<>();
        session.get("outcomes").forEach(o -> ids.add(o.get("id").asText()));
        assertEquals(List.of("o-1", "o-3"), ids);
        assertEquals(400, node.admin().call("GET", "/admin/orgs/earner/roi?by=mood", null).status());
      } finally {
        node.close();
      }
    }
  }

  private static void send(TestNode node, String key, String session, String agent) {
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "work", 50, false), Map.of("X-Session-ID", session, "X-Agent-ID", agent))
        .statusCode());
  }

  private static HttpResponse<String> report(TestNode node, String key, String body) {
    return report(node, key, body, Map.of());
  }

  private static HttpResponse<String> report(TestNode node, String key, String body, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/outcomes", key, body, headers);
  }

  private static JsonNode outcomes(TestNode node, String query) {
    return node.admin().call("GET", "/admin/orgs/earner/outcomes" + (query.isEmpty() ? "" : "?" + query), null).json();
  }

  private static int review(TestNode node, String id, String verb) {
    return node.admin().call("POST", "/admin/orgs/earner/outcomes/" + id + "/" + verb, "{\"by\": \"alice\"}").status();
  }

  private static long cost(List<UsageRecord> records, String agent) {
    return records.stream().filter(r -> agent.equals(r.attribution().agent())).mapToLong(UsageRecord::costNanos).sum();
  }

  private static JsonNode group(JsonNode roi, String field, String value) {
    for (JsonNode g : roi.get("groups")) {
      if (g.get(field).asText().equals(value)) {
        return g;
      }
    }
    throw new AssertionError("no group " + value + " in " + roi);
  }
}
