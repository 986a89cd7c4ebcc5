package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plans: limit templates over two nodes; a change reaches every org on the plan by its next request. */
class PlansTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:20Z"));
  private static UpstreamSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static int chat(TestNode node, String key) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false))
        .statusCode();
  }

  private static AdminClient.Reply ok(AdminClient.Reply reply, int status) {
    assertEquals(status, reply.status(), reply.toString());
    return reply;
  }

  @Test
  void orgsOnAPlanGetItsLimitsUnderTheirOwnAndEveryChangeFromTheNextRequest() {
    DatabaseSettings db = TestDatabases.freshSchema();
    List<TestNode> nodes = TestNode.cluster(2, TestNode.options(db, simulator.baseUrl(), clock));
    AdminClient admin = nodes.get(0).admin();
    AdminClient other = nodes.get(1).admin();
    String key;
    try {
      ok(admin.call("PUT", "/admin/plans/starter", "{\"requests_per_minute\": 2, \"monthly_budget_usd\": \"5\"}"), 200);
      ok(other.call("PUT", "/admin/plans/pro", "{\"requests_per_minute\": 500}"), 200);
      JsonNode created = ok(admin.call("POST", "/admin/orgs", "{\"id\": \"small\", \"plan\": \"starter\","
          + " \"limits\": {\"monthly_budget_usd\": \"1\"}}"), 201).json();
      assertEquals("starter", created.get("plan").asText());
      assertEquals(2, created.at("/effective_limits/requests_per_minute").asLong());
      assertEquals("1.000000000", created.at("/effective_limits/monthly_budget_usd").asText(), "its own wins");
      assertTrue(created.at("/limits/requests_per_minute").isNull(), "its own limits stay its own");
      admin.createOrg("tiny", null);
      ok(other.call("PATCH", "/admin/orgs/tiny", "{\"plan\": \"starter\"}"), 200);

      key = admin.issueKey("small");
      String tinyKey = admin.issueKey("tiny");
      assertEquals(200, chat(nodes.get(0), key));
      assertEquals(200, chat(nodes.get(1), key));
      assertEquals(429, chat(nodes.get(0), key), "the plan's 2 a minute");
      assertEquals(200, chat(nodes.get(1), tinyKey));
      assertEquals(200, chat(nodes.get(1), tinyKey));
      assertEquals(429, chat(nodes.get(0), tinyKey));

      JsonNode changed = ok(other.call("PUT", "/admin/plans/starter", "{\"requests_per_minute\": 3}"), 200).json();
      assertEquals(2, changed.get("orgs").asInt());
      assertEquals(2, changed.get("orgs_updated").asInt());
      assertEquals(200, chat(nodes.get(1), key), "the next request has the plan's new limit");
      assertEquals(200, chat(nodes.get(0), tinyKey));
      assertEquals(429, chat(nodes.get(0), key));
      assertEquals("3", admin.quota("small").at("/limits/requests_per_minute").asText());

      JsonNode plans = admin.call("GET", "/admin/plans", null).json();
      assertEquals("pro", plans.at("/plans/0/plan").asText());
      assertEquals(0, plans.at("/plans/0/orgs").asInt());
      assertEquals("starter", plans.at("/plans/1/plan").asText());
      assertEquals(2, plans.at("/plans/1/orgs").asInt());

      ok(admin.call("PATCH", "/admin/orgs/tiny", "{\"plan\": null}"), 200);
      assertEquals(200, chat(nodes.get(1), tinyKey), "off the plan, unlimited");
      ok(admin.call("PATCH", "/admin/orgs/small", "{\"plan\": \"pro\"}"), 200);
      assertEquals(200, chat(nodes.get(1), key), "on pro, 500 a minute");

      assertEquals(400, admin.call("POST", "/admin/orgs", "{\"id\": \"lost\", \"plan\": \"gold\"}").status());
      assertEquals(404, admin.call("GET", "/admin/orgs/lost", null).status(), "not created on an unknown plan");
      assertEquals(400, admin.call("PATCH", "/admin/orgs/small", "{\"plan\": \"gold\"}").status());
      assertEquals(400, admin.call("PUT", "/admin/plans/Bad%20Name", "{}").status());
      assertEquals(400, admin.call("PUT", "/admin/plans/x", "{\"requests_per_minit\": 1}").status());
    } finally {
      nodes.forEach(TestNode::close);
    }

    TestNode again = TestNode.start(TestNode.options(db, simulator.baseUrl(), clock));
    try {
      JsonNode small = again.admin().call("GET", "/admin/orgs/small", null).json();
      assertEquals("pro", small.get("plan").asText(), "a restart keeps the plan");
      assertEquals(500, small.at("/effective_limits/requests_per_minute").asLong());
      assertEquals(1, again.admin().call("GET", "/admin/plans", null).json().at("/plans/0/orgs").asInt());
      ok(again.admin().call("PUT", "/admin/plans/pro", "{\"requests_per_minute\": 5}"), 200);
      assertEquals(200, chat(again, key));
      assertEquals(429, chat(again, key), "5 a minute, four used before the restart");
    } finally {
      again.close();
    }
  }
}
