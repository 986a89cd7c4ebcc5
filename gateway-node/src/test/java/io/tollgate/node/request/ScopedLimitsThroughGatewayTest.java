package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits per key, team, customer, user and agent, set over the admin API and kept on real requests. */
class ScopedLimitsThroughGatewayTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:20Z"));
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
    admin = node.admin();
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static HttpResponse<String> chat(String key, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false), headers);
  }

  private static AdminClient.Reply put(String path, String body) {
    AdminClient.Reply reply = admin.call("PUT", path, body);
    assertEquals(200, reply.status(), reply.toString());
    return reply;
  }

  @Test
  void aTeamsLimitRefusesItsRequestsNamingTheScopeAndTheJournalSaysSo() {
    admin.createOrg("teams", null);
    String key = admin.issueKey("teams");
    AdminClient.Reply set = put("/admin/orgs/teams/limits/team/research", "{\"requests_per_hour\": 2}");
    assertEquals("team", set.json().get("scope").asText());
    assertEquals(2, set.json().at("/limits/requests_per_hour").asLong());

    Map<String, String> research = Map.of("X-Team-ID", "research");
    assertEquals(200, chat(key, research).statusCode());
    assertEquals(200, chat(key, research).statusCode());
    HttpResponse<String> refused = chat(key, research);
    assertEquals(429, refused.statusCode());
    assertEquals("team:research", refused.headers().firstValue("X-Tollgate-Limit-Scope").orElseThrow());
    assertEquals("rate_limited", refused.headers().firstValue("X-Tollgate-Error").orElseThrow());
    assertEquals("2680", refused.headers().firstValue("Retry-After").orElseThrow(), "seconds to the next hour");
    assertTrue(ProxyClient.json(refused).at("/error/message").asText()
        .startsWith("team 'research': rate limit reached for requests per hour: limit 2, used 2."));
    assertEquals(200, chat(key, Map.of("X-Team-ID", "ops")).statusCode(), "another team is not held to it");
    assertEquals(200, chat(key, Map.of()).statusCode(), "nor a request for no team");

    Eventually.await(Duration.ofSeconds(10), () -> {
      List<DenialCount> denials = node.journal().events("teams").stream()
          .filter(e -> e instanceof OrgEvent.RequestsDenied).flatMap(e -> ((OrgEvent.RequestsDenied) e).denials().stream())
          .toList();
      assertEquals(List.of(new DenialCount(denials.get(0).keyId(), DenialReason.REQUESTS_PER_HOUR, 1, "team:research")),
          denials);
    });

    JsonNode listed = admin.call("GET", "/admin/orgs/teams/limits", null).json();
    assertEquals("research", listed.at("/scopes/0/value").asText());
    assertEquals(200, admin.call("DELETE", "/admin/orgs/teams/limits/team/research", null).status());
    assertEquals(200, chat(key, research).statusCode(), "removed, the team is unlimited");
    assertEquals(404, admin.call("DELETE", "/admin/orgs/teams/limits/team/research", null).status());
  }

  @Test
  void everyCustomerGetsTheDefaultBudgetAndTheTightestBudgetIsInTheHeaders() {
    admin.createOrg("tenants", "{\"monthly_budget_usd\": \"100\"}");
    String key = admin.issueKey("tenants");
    put("/admin/orgs/tenants/limits/customer/*", "{\"monthly_budget_usd\": \"0.00005\"}");
    HttpResponse<String> first = chat(key, Map.of("X-Customer-ID", "c-1"));
    assertEquals(200, first.statusCode());
    assertEquals("customer:c-1", first.headers().firstValue("X-Tollgate-Budget-Scope").orElseThrow());
    String remaining = first.headers().firstValue("X-Tollgate-Budget-Remaining-USD").orElseThrow();
    assertTrue(remaining.startsWith("0.0000"), remaining);

    HttpResponse<String> refused = null;
    for (int i = 0; i < 20 && refused == null; i++) {
      HttpResponse<String> r = chat(key, Map.of("X-Customer-ID", "c-1"));
      refused = r.statusCode() == 429 ? r : null;
    }
    assertTrue(refused != null, "the customer's $0.00005 runs out");
    assertEquals("customer:c-1", refused.headers().firstValue("X-Tollgate-Limit-Scope").orElseThrow());
    assertEquals("insufficient_quota", ProxyClient.json(refused).at("/error/code").asText());
    assertEquals("false", refused.headers().firstValue("x-should-retry").orElseThrow());
    assertFalse(refused.headers().firstValue("Retry-After").isPresent(), "retrying soon cannot help");
    assertEquals(200, chat(key, Map.of("X-Customer-ID", "c-2")).statusCode(), "each customer has its own budget");

    Eventually.await(Duration.ofSeconds(10), () -> {
      long spent = node.journal().usage("tenants").stream()
          .filter(r -> "c-1".equals(r.attribution().customer())).mapToLong(UsageRecord::costNanos).sum();
      assertTrue(spent <= 50_000, "the journaled spend of c-1 stays within its budget: " + spent);
    });
  }

  @Test
  void aKeyBoundToATeamCountsThereAndRefusesAnotherTeamsHeader() {
    admin.createOrg("bound", null);
    AdminClient.Reply issued = admin.call("POST", "/admin/orgs/bound/keys",
        "{\"name\": \"research-app\", \"binds\": {\"team\": \"research\"}, \"limits\": {\"requests_per_minute\": 1}}");
    assertEquals(201, issued.status(), issued.toString());
    assertEquals("research", issued.json().at("/binds/team").asText());
    assertEquals(1, issued.json().at("/limits/requests_per_minute").asLong());
    String key = issued.json().get("key").asText();

    HttpResponse<String> conflict = chat(key, Map.of("X-Team-ID", "ops"));
    assertEquals(403, conflict.statusCode());
    assertTrue(ProxyClient.json(conflict).at("/error/message").asText().contains("bound to team 'research'"));
    assertEquals(200, chat(key, Map.of()).statusCode());
    HttpResponse<String> limited = chat(key, Map.of());
    assertEquals(429, limited.statusCode());
    assertTrue(limited.headers().firstValue("X-Tollgate-Limit-Scope").orElseThrow().startsWith("key:"));

    String keyId = issued.json().get("id").asText();
    put("/admin/orgs/bound/keys/" + keyId + "/limits", "{\"limits\": null}");
    assertEquals(200, chat(key, Map.of()).statusCode(), "its limits removed, the key goes on");
    Eventually.await(Duration.ofSeconds(10), () -> assertTrue(node.journal().usage("bound").stream()
        .allMatch(r -> "research".equals(r.attribution().team())), "every record names the bound team"));
  }

  @Test
  void badLimitsAndScopesAreRefusedWithAClearError() {
    admin.createOrg("strict", null);
    AdminClient.Reply unknown = admin.call("PUT", "/admin/orgs/strict/limits/team/a", "{\"requests_per_minit\": 1}");
    assertEquals(400, unknown.status());
    assertTrue(unknown.json().at("/error/message").asText().contains("Unknown limit 'requests_per_minit'"));
    assertEquals(400, admin.call("PUT", "/admin/orgs/strict/limits/galaxy/a", "{}").status());
    AdminClient.Reply key = admin.call("PUT", "/admin/orgs/strict/limits/key/k1", "{}");
    assertTrue(key.json().at("/error/message").asText().contains("/keys/{keyId}/limits"));
    assertEquals(400, admin.call("PUT", "/admin/orgs/strict/limits/team/a",
        "{\"enforcement\": \"maybe\"}").status());
    assertEquals(400, admin.call("POST", "/admin/orgs/strict/keys", "{\"binds\": {\"agent\": \"x\"}}").status());
    assertEquals(400, admin.call("PUT", "/admin/orgs/strict/limits/team/a",
        "{\"models\": {\"gpt*mini\": {\"monthly_requests\": 1}}}").status());
  }
}
