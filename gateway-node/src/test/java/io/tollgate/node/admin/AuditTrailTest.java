package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin change of an org is on its audit trail, from its journal: who (token, name, role), the call, its
 * status, and the changed part before and after; newest first, a page at a time; refused calls are not changes.
 */
class AuditTrailTest {
  private UpstreamSimulator simulator;
  private TestNode node;

  @BeforeEach
  void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    node.close();
    simulator.close();
  }

  private AdminClient token(String role, String org, String name, AtomicReference<String> id) {
    var issued = node.admin().call("POST", "/admin/tokens", "{\"role\": \"" + role + "\", \"org\": \"" + org
        + "\", \"name\": \"" + name + "\"}");
    assertEquals(201, issued.status(), issued.toString());
    if (id != null) {
      id.set(issued.json().get("id").asText());
    }
    return new AdminClient(node.baseUrl(), issued.json().get("token").asText());
  }

  @Test
  void eachChangeSaysWhoWhatAndBeforeAndAfter() {
    node.admin().createOrg("audited", null);
    AtomicReference<String> adminId = new AtomicReference<>();
    AdminClient orgAdmin = token("org_admin", "audited", "alice's console", adminId);
    AdminClient viewer = token("org_viewer", "audited", "wall screen", null);
    String path = "/admin/orgs/audited/limits/team/research";
    assertEquals(200, orgAdmin.call("PUT", path, "{\"monthly_budget_usd\": \"100\"}").status());
    assertEquals(200, orgAdmin.call("PUT", path, "{\"monthly_budget_usd\": \"50\"}").status());
    assertEquals(403, viewer.call("PUT", path, "{\"monthly_budget_usd\": \"1\"}").status());
    assertEquals(400, orgAdmin.call("PUT", path, "{\"monthly_budget_usd\": -1}").status());
    assertEquals(200, node.admin().call("POST", "/admin/orgs/audited/disable", null).status());

    AtomicReference<JsonNode> trail = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(20), () -> {
      JsonNode page = viewer.call("GET", "/admin/orgs/audited/audit", null).json();
      assertEquals(5, page.get("changes").size(), page.toString());
      trail.set(page);
    });
    JsonNode changes = trail.get().get("changes");
    JsonNode disable = changes.get(0);
    assertEquals("POST /admin/orgs/audited/disable", disable.get("action").asText());
    assertEquals("operator", disable.get("by").get("role").asText());
    assertEquals("bootstrap", disable.get("by").get("token_id").asText());
    assertEquals("active", disable.get("before").get("status").asText());
    assertEquals("disabled", disable.get("after").get("status").asText());

    JsonNode second = changes.get(1);
    assertEquals("PUT " + path, second.get("action").asText());
    assertEquals(200, second.get("status").asInt());
    assertEquals(adminId.get(), second.get("by").get("token_id").asText());
    assertEquals("alice's console", second.get("by").get("name").asText());
    assertEquals("org_admin", second.get("by").get("role").asText());
    assertTrue(second.get("before").toString().contains("\"100"), second.get("before").toString());
    assertTrue(second.get("after").toString().contains("\"50"), second.get("after").toString());
    assertTrue(changes.get(2).get("after").toString().contains("\"100"));
    // The org's tokens, issued by the operator: who may act on the org is on its trail too, never a secret.
    JsonNode issued = changes.get(4);
    assertEquals("POST /admin/tokens", issued.get("action").asText());
    assertEquals(adminId.get(), issued.get("after").get("id").asText());
    assertEquals("org_admin", issued.get("after").get("role").asText());
    assertFalse(issued.get("after").has("token"), issued.toString());
    assertEquals("wall screen", changes.get(3).get("after").get("name").asText());

    JsonNode first = viewer.call("GET", "/admin/orgs/audited/audit?limit=3", null).json();
    assertEquals(3, first.get("changes").size());
    JsonNode rest = viewer.call("GET", "/admin/orgs/audited/audit?limit=3&cursor="
        + first.get("next_cursor").asText(), null).json();
    assertEquals(2, rest.get("changes").size());
    assertEquals(changes.get(3), rest.get("changes").get(0), "the pages follow on");
    assertTrue(rest.get("next_cursor").isNull());
  }

  @Test
  void anOrgAdminRevokingATokenOfItsOrgIsOnTheTrail() {
    node.admin().createOrg("revoking", null);
    AtomicReference<String> adminId = new AtomicReference<>();
    AdminClient orgAdmin = token("org_admin", "revoking", "bob", adminId);
    AtomicReference<String> viewerId = new AtomicReference<>();
    token("org_viewer", "revoking", "old dashboard", viewerId);
    assertEquals(204, orgAdmin.call("DELETE", "/admin/tokens/" + viewerId.get(), null).status());
    Eventually.await(Duration.ofSeconds(20), () -> {
      JsonNode newest = orgAdmin.call("GET", "/admin/orgs/revoking/audit?limit=1", null).json().get("changes").get(0);
      assertEquals("DELETE /admin/tokens/" + viewerId.get(), newest.get("action").asText());
      assertEquals(adminId.get(), newest.get("by").get("token_id").asText());
      assertEquals("old dashboard", newest.get("before").get("name").asText());
      assertTrue(newest.get("after").isNull());
    });
  }
}
