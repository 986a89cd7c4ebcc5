package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient.Reply;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/orgs/{org}/requests}: every request the org journaled, one row each with what its record
 * says, filtered and paged; a restarted projection adds nothing twice, and a rebuild from the journal gives
 * the same log.
 */
class RequestLogApiTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T09:00:05Z"));

  @Test
  void theLogHoldsEachJournaledRequestOnceFiltersItAndIsRebuiltFromTheJournal() throws SQLException {
    DatabaseSettings db = TestDatabases.freshSchema();
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
      String key;
      Map<String, JsonNode> before;
      JsonNode sessionBefore;
      JsonNode invoiceBefore;
      JsonNode usageBefore;
      try {
        node.admin().createOrg("logged", null);
        key = node.admin().issueKey("logged");
        String planned = send(node, key, false, Map.of("X-Agent-ID", "planner", "X-Session-ID", "s-1",
            "X-Customer-ID", "c-1", "X-Team-ID", "research", "X-User-ID", "u-7", "X-Tollgate-Tag-env", "prod"));
        send(node, key, true, Map.of("X-Agent-ID", "coder", "X-Session-ID", "s-1"));
        String failed = send(node, key, false, Map.of("X-Sim-Fault", "500"));
        String limited = send(node, key, true, Map.of("X-Sim-Fault", "429"));

        List<JsonNode> all = awaitLog(node, 4);
        List<UsageRecord> journaled = node.journal().usage("logged");
        assertEquals(4, journaled.size());
        for (UsageRecord r : journaled) {
          JsonNode row = all.stream().filter(j -> j.get("id").asText().equals(r.requestId())).findFirst().orElseThrow();
          assertEquals(Money.formatUsd(r.costNanos()), row.get("cost_usd").asText(), "the journaled cost, exactly");
          assertEquals(r.tokens().input(), row.at("/tokens/input").asLong());
          assertEquals(r.tokens().output(), row.at("/tokens/output").asLong());
          assertEquals(r.status(), row.get("status").asInt());
          assertEquals(r.outcome().name().toLowerCase(Locale.ROOT), row.get("outcome").asText());
          assertEquals(Instant.ofEpochMilli(r.admittedAtMillis()).toString(), row.get("admitted_at").asText());
          assertEquals(r.pricingVersion(), row.get("price_source").asText());
          assertTrue(row.get("latency_ms").asLong() >= 0);
        }

        // The figures of the same requests: how many, how many failed, and the latency's percentiles.
        JsonNode stats = node.admin().call("GET", "/admin/orgs/logged/requests/stats", null).json();
        long errors = all.stream().filter(j -> j.get("status").asInt() / 100 != 2).count();
        assertEquals(2, errors, "the 500 and the 429");
        assertEquals(4, stats.get("requests").asLong());
        assertEquals(errors, stats.get("errors").asLong());
        assertEquals("50.00", stats.get("error_rate_percent").asText());
        List<Long> latencies = all.stream().map(j -> j.get("latency_ms").asLong()).sorted().toList();
        assertEquals(latencies.get(1), stats.at("/latency_ms/p50").asLong(), "the median of four: the second");
        assertEquals(latencies.get(3), stats.at("/latency_ms/p95").asLong());
        JsonNode planner = node.admin().call("GET", "/admin/orgs/logged/requests/stats?agent=planner", null).json();
        assertEquals(1, planner.get("requests").asLong(), "the request log's filters apply");
        assertEquals("0.00", planner.get("error_rate_percent").asText());
        JsonNode none = node.admin().call("GET", "/admin/orgs/logged/requests/stats?agent=nobody", null).json();
        assertTrue(none.get("error_rate_percent").isNull() && none.at("/latency_ms/p50").isNull(), none.toString());

        JsonNode one = node.admin().call("GET", "/admin/orgs/logged/requests/" + planned, null).json();
        assertEquals("planner", one.at("/attribution/agent").asText());
        assertEquals("s-1", one.at("/attribution/session").asText());
        assertEquals("c-1", one.at("/attribution/customer").asText());
        assertEquals("research", one.at("/attribution/team").asText());
        assertEquals("u-7", one.at("/attribution/user").asText());
        assertEquals("prod", one.at("/tags/env").asText());
        assertEquals("openai", one.get("provider").asText());
        assertEquals("chat", one.get("api").asText());
        assertTrue(one.hasNonNull("upstream_ms"));

        assertEquals(List.of(planned), ids(list(node, "agent=planner").json()));
        assertEquals(2, ids(list(node, "session=s-1").json()).size());
        assertEquals(List.of(failed), ids(list(node, "status=5xx").json()), "the provider's 500 reached the client as a 502");
        assertEquals(List.of(failed), ids(list(node, "status=502").json()));
        assertEquals(List.of(limited), ids(list(node, "status=429").json()));
        assertEquals(List.of(limited, failed), ids(list(node, "outcome=upstream_error").json()));
        assertEquals(List.of(planned), ids(list(node, "tag.env=prod").json()));
        assertEquals(List.of(planned), ids(list(node, "team=research&customer=c-1&user=u-7&model=gpt-4o-mini*").json()));
        assertEquals(List.of(limited, failed), ids(list(node, "model=gpt-4o-mini").json()),
            "the model on record, exactly: the provider named a dated one where it answered");
        assertEquals(4, ids(list(node, "from=2026-11-22&to=2026-11-22").json()).size(), "a day as 'to' includes it");
        assertEquals(0, ids(list(node, "from=2026-11-23").json()).size());
        assertEquals(ids(list(node, "").json()), walk(node, 3), "pages of 3 walk the same rows in the same order");

        assertEquals(400, list(node, "agnet=planner").status(), "a misspelt filter is refused, not ignored");
        assertEquals(400, list(node, "cursor=nonsense").status());
        assertEquals(400, list(node, "status=teapot").status());
        assertEquals(400, list(node, "outcome=done").status());
        assertEquals(400, list(node, "limit=0").status());
        assertEquals(400, list(node, "from=yesterday").status());
        assertEquals("invalid_request_error", list(node, "agnet=planner").json().at("/error/type").asText());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/logged/requests/req_nothing", null).status());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/nobody/requests", null).status());

        String metrics = ProxyClient.get(node.managementUrl() + "/metrics");
        assertTrue(metrics.contains("tollgate_projection_lag_seconds{projection=\"request-log\"}"), metrics);
        before = byId(all);
      } finally {
        node.close();
      }

      TestNode again = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
      try {
        send(again, key, false, Map.of());
        List<JsonNode> all = awaitLog(again, 5);
        assertEquals(5, byId(all).size(), "the restarted projection resumed from its offset: nothing twice");
        before = byId(all);
        sessionBefore = again.admin().call("GET", "/admin/orgs/logged/sessions/s-1", null).json();
        invoiceBefore = again.admin().call("GET", "/admin/orgs/logged/invoice?month=2026-11", null).json();
        assertEquals(5, invoiceBefore.get("requests").asLong(), "the invoice counted nothing twice either");
        usageBefore = again.admin().call("GET", "/admin/orgs/logged/usage?from=2026-11-22&to=2026-11-22", null).json()
            .get("total");
        assertEquals(5, usageBefore.get("requests").asLong(), "nor did usage_daily, projected in the same run");
      } finally {
        again.close();
      }

      try (Database database = Database.open(db);
          Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("TRUNCATE request_log, usage_daily, sessions, outcomes, invoice_lines, invoice_costs, audit_log");
        st.execute("DELETE FROM pekko_projection_offset_store WHERE projection_name = 'request-log'");
      }
      TestNode rebuilt = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
      try {
        assertEquals(before, byId(awaitLog(rebuilt, 5)), "rebuilt from the journal: the same rows");
        assertEquals(sessionBefore, rebuilt.admin().call("GET", "/admin/orgs/logged/sessions/s-1", null).json());
        assertEquals(invoiceBefore, rebuilt.admin().call("GET", "/admin/orgs/logged/invoice?month=2026-11", null).json());
        assertEquals(usageBefore,
            rebuilt.admin().call("GET", "/admin/orgs/logged/usage?from=2026-11-22&to=2026-11-22", null).json().get("total"));
      } finally {
        rebuilt.close();
      }
    }
  }

  private static String send(TestNode node, String key, boolean stream, Map<String, String> headers) {
    HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "log me", 12, stream), headers);
    return response.headers().firstValue("X-Request-ID").orElseThrow();
  }

  private static Reply list(TestNode node, String query) {
    return node.admin().call("GET", "/admin/orgs/logged/requests" + (query.isEmpty() ? "" : "?" + query), null);
  }

  private static List<JsonNode> awaitLog(TestNode node, int requests) {
    Eventually.await(Duration.ofSeconds(20), () -> assertEquals(requests, list(node, "").json().get("requests").size()));
    List<JsonNode> rows = new ArrayList<>();
    list(node, "").json().get("requests").forEach(rows::add);
    return rows;
  }

  private static List<String> walk(TestNode node, int pageSize) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = list(node, "limit=" + pageSize + (cursor == null ? "" : "&cursor=" + cursor)).json();
      ids.addAll(ids(page));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    return ids;
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("requests").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  private static Map<String, JsonNode> byId(List<JsonNode> rows) {
    Map<String, JsonNode> out = new HashMap<>();
    rows.forEach(r -> out.put(r.get("id").asText(), r));
    return out;
  }
}
