package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens with roles against a real node: every admin endpoint walked with every role, on the token's own org and
 * on another. A token of org A never reads or changes anything of org B; viewers and finance change nothing; an
 * org admin changes its org but not what the operator decides; tokens are issued once, listed without secrets,
 * and revoked everywhere at once.
 */
class AdminRolesTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static final Map<String, String> TOKENS = new java.util.LinkedHashMap<>();

  /** One admin call: {@code {org}} in its path is the org it is made on. */
  private record Call(String method, String path, String body, Kind kind) {}

  /** Who may make a call besides an operator. */
  private enum Kind { ORG_READ, ORG_WRITE, OPERATOR_ORG_WRITE, EVERY_ORG_READ, OPERATOR_ONLY, TOKENS }

  private static final List<Call> CALLS = List.of(
      new Call("GET", "/admin/orgs/{org}", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/keys", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/limits", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/quota", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/quota/scopes?scope=team", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/spend", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/requests", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/requests/req_none", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/denials", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/sessions", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/sessions/s-1", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/outcomes", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/outcomes/o-1", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/roi?by=agent", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/usage", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/usage/leaderboard?dimension=team&metric=cost", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/webhooks", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/webhooks/w-1/deliveries", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/alerts", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/policies", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/keys/k-none/policies", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/invoice?month=2026-11", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/export/focus?month=2026-11", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/pricing", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/audit", null, Kind.ORG_READ),
      new Call("GET", "/admin/orgs/{org}/requests/stats", null, Kind.ORG_READ),
      new Call("POST", "/admin/orgs/{org}/keys", "{\"name\": \"walk\"}", Kind.ORG_WRITE),
      new Call("DELETE", "/admin/orgs/{org}/keys/k-none", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/keys/k-none/rotate", "{}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/keys/k-none/limits", "{}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/keys/k-none/policies", "{}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/limits", "{\"requests_per_minute\": 100000}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/limits/team/walk", "{\"requests_per_minute\": 100000}", Kind.ORG_WRITE),
      new Call("DELETE", "/admin/orgs/{org}/limits/team/walk", null, Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/policies", "{}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/alerts", "{}", Kind.ORG_WRITE),
      new Call("DELETE", "/admin/orgs/{org}/blocks/agent:none", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/webhooks", "{\"url\": \"not a url\"}", Kind.ORG_WRITE),
      new Call("DELETE", "/admin/orgs/{org}/webhooks/w-1", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/webhooks/w-1/test", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/webhooks/w-1/deliveries/m-1/retry", null, Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/pricing", "{\"unpriced_models\": \"serve\"}", Kind.ORG_WRITE),
      new Call("PUT", "/admin/orgs/{org}/pricing/walk-model", "{}", Kind.ORG_WRITE),
      new Call("DELETE", "/admin/orgs/{org}/pricing/walk-model", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/sessions/s-1/close", null, Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/outcomes/o-1/confirm", "{\"by\": \"walk\"}", Kind.ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/outcomes/o-1/reject", "{\"by\": \"walk\"}", Kind.ORG_WRITE),
      new Call("PATCH", "/admin/orgs/{org}", "{\"name\": \"\"}", Kind.OPERATOR_ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/disable", null, Kind.OPERATOR_ORG_WRITE),
      new Call("POST", "/admin/orgs/{org}/enable", null, Kind.OPERATOR_ORG_WRITE),
      new Call("GET", "/admin/orgs", null, Kind.EVERY_ORG_READ),
      new Call("GET", "/admin/usage/leaderboard?dimension=org&metric=cost", null, Kind.EVERY_ORG_READ),
      new Call("POST", "/admin/orgs", "{\"id\": \"\"}", Kind.OPERATOR_ONLY),
      new Call("GET", "/admin/plans", null, Kind.OPERATOR_ONLY),
      new Call("PUT", "/admin/plans/walk", "{}", Kind.OPERATOR_ONLY),
      new Call("GET", "/admin/upstreams", null, Kind.OPERATOR_ONLY),
      new Call("GET", "/admin/cluster", null, Kind.OPERATOR_ONLY),
      new Call("GET", "/admin/tokens", null, Kind.TOKENS));

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
    node.admin().createOrg("org-a", null);
    node.admin().createOrg("org-b", null);
    TOKENS.put("operator", issue(node.admin(), "operator", null));
    TOKENS.put("org_admin", issue(node.admin(), "org_admin", "org-a"));
    TOKENS.put("org_viewer", issue(node.admin(), "org_viewer", "org-a"));
    TOKENS.put("finance", issue(node.admin(), "finance", "org-a"));
    TOKENS.put("finance_all", issue(node.admin(), "finance", null));
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static String issue(AdminClient by, String role, String org) {
    var reply = by.call("POST", "/admin/tokens", "{\"role\": \"" + role + "\", \"name\": \"" + role + " token\""
        + (org == null ? "" : ", \"org\": \"" + org + "\"") + "}");
    assertEquals(201, reply.status(), reply.toString());
    return reply.json().get("token").asText();
  }

  private static AdminClient as(String role) {
    return new AdminClient(node.baseUrl(), TOKENS.get(role));
  }

  /** Whether a token of {@code role} (of org-a, unless it is for every org) may make a call on {@code org}. */
  private static boolean expected(String role, Kind kind, String org) {
    boolean own = org.equals("org-a") || role.equals("finance_all");
    return switch (role) {
      case "operator" -> true;
      case "org_admin" -> own && (kind == Kind.ORG_READ || kind == Kind.ORG_WRITE) || kind == Kind.TOKENS;
      case "org_viewer", "finance" -> own && kind == Kind.ORG_READ;
      case "finance_all" -> kind == Kind.ORG_READ || kind == Kind.EVERY_ORG_READ;
      default -> throw new IllegalArgumentException(role);
    };
  }

  @Test
  void everyEndpointWithEveryRoleOnItsOwnOrgAndAnother() {
    List<String> wrong = new ArrayList<>();
    for (String role : List.of("org_viewer", "finance", "finance_all", "org_admin", "operator")) {
      for (String org : List.of("org-b", "org-a")) {
        for (Call call : CALLS) {
          String path = call.path().replace("{org}", org);
          var reply = as(role).call(call.method(), path, call.body());
          boolean allowed = reply.status() != 403 && reply.status() != 401;
          if (allowed != expected(role, call.kind(), org)) {
            wrong.add(role + " " + call.method() + " " + path + " -> " + reply.status() + " " + reply.json());
          }
          if (!allowed) {
            assertEquals("permission_error", reply.json().path("error").path("type").asText(), path);
          }
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void aTokenIsShownOnceListedWithoutItsSecretAndRevokedAtOnce() {
    var issued = node.admin().call("POST", "/admin/tokens",
        "{\"role\": \"org_viewer\", \"org\": \"org-a\", \"name\": \"dashboard\", \"expires_at\": \"2099-01-01T00:00:00Z\"}");
    assertEquals(201, issued.status());
    String token = issued.json().get("token").asText();
    assertTrue(token.startsWith("tga_"), token);
    String id = issued.json().get("id").asText();
    JsonNode listed = node.admin().call("GET", "/admin/tokens?org=org-a", null).json();
    JsonNode mine = null;
    for (JsonNode t : listed.get("tokens")) {
      assertFalse(t.has("token"), "a listing never shows a secret");
      if (t.get("id").asText().equals(id)) {
        mine = t;
      }
    }
    assertEquals("2099-01-01T00:00:00Z", mine.get("expires_at").asText());
    assertFalse(listed.toString().contains(token.substring(token.lastIndexOf('_') + 1)));
    AdminClient viewer = new AdminClient(node.baseUrl(), token);
    assertEquals(200, viewer.call("GET", "/admin/orgs/org-a/quota", null).status());
    assertEquals(204, node.admin().call("DELETE", "/admin/tokens/" + id, null).status());
    assertEquals(401, viewer.call("GET", "/admin/orgs/org-a/quota", null).status(), "revoked at once");
    assertEquals(401, new AdminClient(node.baseUrl(), token + "x").call("GET", "/admin/orgs/org-a/quota", null).status());
  }

  @Test
  void everyAdminAnswerCarriesTheSecurityHeaders() {
    for (String token : List.of(TestNode.ADMIN_TOKEN, "wrong")) {
      var answer = io.tollgate.node.testkit.ProxyClient.send("GET", node.baseUrl() + "/admin/orgs",
          Map.of("Authorization", "Bearer " + token));
      assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(null));
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("no-referrer", answer.headers().firstValue("Referrer-Policy").orElse(null));
      assertTrue(answer.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    }
  }

  @Test
  void anExpiredTokenIsRefused() {
    var issued = node.admin().call("POST", "/admin/tokens",
        "{\"role\": \"org_viewer\", \"org\": \"org-a\", \"name\": \"old\", \"expires_at\": \"2020-01-01T00:00:00Z\"}");
    assertEquals(201, issued.status());
    AdminClient expired = new AdminClient(node.baseUrl(), issued.json().get("token").asText());
    assertEquals(401, expired.call("GET", "/admin/orgs/org-a/quota", null).status());
  }

  @Test
  void anOrgAdminManagesItsOrgsTokensOnly() {
    AdminClient orgAdmin = as("org_admin");
    assertEquals(201, orgAdmin.call("POST", "/admin/tokens", "{\"role\": \"finance\", \"org\": \"org-a\", \"name\": \"books\"}")
        .status());
    assertEquals(403, orgAdmin.call("POST", "/admin/tokens", "{\"role\": \"org_viewer\", \"org\": \"org-b\", \"name\": \"x\"}")
        .status());
    assertEquals(403, orgAdmin.call("POST", "/admin/tokens", "{\"role\": \"operator\", \"name\": \"x\"}").status());
    assertEquals(403, orgAdmin.call("GET", "/admin/tokens?org=org-b", null).status());
    JsonNode own = orgAdmin.call("GET", "/admin/tokens", null).json();
    for (JsonNode t : own.get("tokens")) {
      assertEquals("org-a", t.get("org").asText(), "an org admin lists its org's tokens only");
    }
    var other = node.admin().call("POST", "/admin/tokens", "{\"role\": \"org_viewer\", \"org\": \"org-b\", \"name\": \"b\"}");
    assertEquals(403, orgAdmin.call("DELETE", "/admin/tokens/" + other.json().get("id").asText(), null).status());
    assertEquals(400, node.admin().call("POST", "/admin/tokens", "{\"role\": \"org_admin\", \"name\": \"no org\"}").status());
    assertEquals(400, node.admin().call("POST", "/admin/tokens", "{\"role\": \"root\", \"name\": \"x\"}").status());
    assertNotEquals(401, node.admin().call("GET", "/admin/tokens", null).status(), "the bootstrap token stays an operator");
  }
}
