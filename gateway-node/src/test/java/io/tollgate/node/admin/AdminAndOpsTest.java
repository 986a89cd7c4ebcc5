package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminAndOpsTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
    admin = node.admin();
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return get(node.baseUrl(), path);
  }

  private static HttpResponse<String> get(String base, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theAdminApiNeedsTheAdminToken() {
    assertEquals(401, new AdminClient(node.baseUrl(), "wrong-token-0123456789").call("GET", "/admin/orgs/x", null).status());
    assertEquals(401, new AdminClient(node.baseUrl(), "").call("POST", "/admin/orgs", "{\"id\":\"x\"}").status());
    assertEquals(404, admin.call("GET", "/admin/orgs/never-created", null).status(), "with the token, a real answer");
  }

  @Test
  void orgsAreCreatedOnceWithValidIdsAndExactBudgets() {
    AdminClient.Reply created = admin.call("POST", "/admin/orgs",
        "{\"id\":\"admin-acme\",\"name\":\"Acme\",\"limits\":{\"requests_per_minute\":60,\"monthly_budget_usd\":250.10}}");
    assertEquals(201, created.status());
    assertEquals("250.100000000", created.json().at("/limits/monthly_budget_usd").asText(), "a JSON number is read exactly");
    assertTrue(created.json().at("/limits/tokens_per_minute").isNull());
    assertEquals(409, admin.call("POST", "/admin/orgs", "{\"id\":\"admin-acme\"}").status());
    assertEquals(400, admin.call("POST", "/admin/orgs", "{\"id\":\"Not_Valid\"}").status());
    assertEquals(400, admin.call("POST", "/admin/orgs", "{\"id\":\"ok-id\",\"limits\":{\"monthly_budget_usd\":\"0.0000000001\"}}").status());
    assertEquals(400, admin.call("POST", "/admin/orgs", "{\"id\":\"ok-id\",\"limits\":{\"requests_per_minute\":-1}}").status());
    assertEquals(400, admin.call("POST", "/admin/orgs", "not json").status());

    AdminClient.Reply changed = admin.call("PUT", "/admin/orgs/admin-acme/limits",
        "{\"requests_per_minute\":null,\"monthly_requests\":1000,\"monthly_budget_usd\":\"12.5\"}");
    assertEquals(200, changed.status());
    assertTrue(changed.json().at("/limits/requests_per_minute").isNull());
    assertEquals(1000, changed.json().at("/limits/monthly_requests").asLong());
    assertEquals("12.500000000", admin.quota("admin-acme").at("/limits/monthly_budget_usd").asText());
    assertEquals(404, admin.call("PUT", "/admin/orgs/nobody/limits", "{}").status());
  }

  @Test
  void pricesAndTheUnpricedPolicyAreValidatedAndShown() {
    admin.createOrg("admin-prices", null);
    JsonNode empty = admin.call("GET", "/admin/orgs/admin-prices/pricing", null).json();
    assertEquals("budgeted", empty.get("unpriced_models").asText());
    assertTrue(empty.get("catalog_version").asText().startsWith("genai-prices@"));
    assertEquals(0, empty.get("overrides").size());

    // OpenRouter names have a slash; prices given as JSON numbers are read exactly, tiers included.
    AdminClient.Reply set = admin.call("PUT", "/admin/orgs/admin-prices/pricing/Anthropic/Claude-Sonnet-4.5",
        "{\"input\": {\"base\": 2.7, \"tiers\": [{\"start\": 200000, \"price\": 5.4}]}, \"output\": 13.5,"
            + " \"cache_write_1h\": \"5.4\"}");
    assertEquals(200, set.status(), set.json().toString());
    JsonNode override = set.json().at("/overrides/0");
    assertEquals("anthropic/claude-sonnet-4.5", override.get("model").asText());
    assertEquals("2.7", override.at("/usd_per_mtok/input/base").asText());
    assertEquals(200000, override.at("/usd_per_mtok/input/tiers/0/start").asLong());
    assertEquals("13.5", override.at("/usd_per_mtok/output").asText());
    assertFalse(override.get("usd_per_mtok").has("cache_read"), "unset classes stay unset");

    assertEquals(400, admin.call("PUT", "/admin/orgs/admin-prices/pricing/m", "{\"input\": \"1\"}").status(),
        "output is required");
    assertEquals(400, admin.call("PUT", "/admin/orgs/admin-prices/pricing/m", "{\"input\": \"-1\", \"output\": \"1\"}").status());
    assertEquals(400, admin.call("PUT", "/admin/orgs/admin-prices/pricing/m", "{\"input\": \"cheap\", \"output\": \"1\"}").status());
    assertEquals(400, admin.call("PUT", "/admin/orgs/admin-prices/pricing", "{\"unpriced_models\": \"maybe\"}").status());
    assertEquals(404, admin.call("PUT", "/admin/orgs/nobody/pricing/m", "{\"input\": \"1\", \"output\": \"1\"}").status());
    assertEquals(404, admin.call("DELETE", "/admin/orgs/admin-prices/pricing/never-set", null).status());

    JsonNode shown = admin.call("GET", "/admin/orgs/admin-prices/pricing", null).json();
    assertEquals(1, shown.get("overrides").size(), "rejected changes changed nothing");
  }

  @Test
  void keysAreShownOnceAndListedWithoutSecrets() {
    admin.createOrg("admin-keys", null);
    AdminClient.Reply issued = admin.call("POST", "/admin/orgs/admin-keys/keys",
        "{\"name\":\"ci\",\"allowed_models\":[\"gpt-4o*\"]}");
    assertEquals(201, issued.status());
    String key = issued.json().get("key").asText();
    assertTrue(key.startsWith("tg_admin-keys_" + issued.json().get("id").asText() + "_"));
    JsonNode listed = admin.call("GET", "/admin/orgs/admin-keys/keys", null).json();
    assertEquals(1, listed.get("keys").size());
    assertFalse(listed.toString().contains(key.substring(key.lastIndexOf('_') + 1)), "no secret in the list");
    assertFalse(listed.toString().contains("hash"));
    assertEquals("gpt-4o*", listed.at("/keys/0/allowed_models/0").asText());

    HttpResponse<String> notAllowed = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("o3-mini", "hi", 5, false));
    assertEquals(403, notAllowed.statusCode());
    assertEquals("model_not_allowed", ProxyClient.json(notAllowed).at("/error/code").asText());
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false)).statusCode());
    assertEquals(404, admin.call("DELETE", "/admin/orgs/admin-keys/keys/nosuchkey", null).status());
  }

  @Test
  void healthAndMetricsAreServed() throws Exception {
    for (String base : new String[] {node.baseUrl(), node.managementUrl()}) {
      assertEquals(200, get(base, "/health/live").statusCode());
      HttpResponse<String> ready = get(base, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"journal_reachable\":true"));
    }

    admin.createOrg("admin-metrics", "{\"monthly_budget_usd\": \"0.001\"}");
    String key = admin.issueKey("admin-metrics");
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false)).statusCode());
    Eventually.await(Duration.ofSeconds(15), () -> {
      try {
        String metrics = get(node.managementUrl(), "/metrics").body();
        assertTrue(metrics.contains("tollgate_requests_total{"), "requests counted");
        assertTrue(metrics.contains("tollgate_tokens_total{"), "tokens counted");
        assertTrue(metrics.contains("tollgate_cost_nanousd_total{"), "cost counted");
        assertTrue(metrics.contains("tollgate_gateway_overhead_seconds_bucket"), "overhead measured");
        assertTrue(metrics.contains("tollgate_journal_write_latency_seconds_bucket"), "journal measured");
        assertTrue(metrics.contains("tollgate_cluster_members{status=\"up\"} 1.0"), "the lone node sees itself up");
        assertTrue(metrics.contains("tollgate_sharding_orgs "), "orgs hosted here");
        java.util.regex.Matcher budget = java.util.regex.Pattern
            .compile("tollgate_org_budget_used\\{org=\"admin-metrics\"\\} ([0-9.E-]+)").matcher(metrics);
        assertTrue(budget.find(), "the org's budget use is published");
        double used = Double.parseDouble(budget.group(1));
        assertTrue(used > 0 && used < 1, "a share of its $0.001 budget: " + used);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void theProxyPortServesNoMetricsSoItsClientsCannotListTheOrgs() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(404, metrics.statusCode());
    assertFalse(metrics.body().contains("tollgate_"), metrics.body());
  }
}
