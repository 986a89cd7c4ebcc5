package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An org's time zone decides when its days and months reset; the quota view shows it per scope value. */
class CalendarAndScopeQuotaTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:20Z")); // 19:15 in Tokyo
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

  private static HttpResponse<String> chat(String key, String team) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false), Map.of("X-Team-ID", team));
  }

  @Test
  void aDayLimitResetsAtTheOrgsMidnightAndTheQuotaViewSaysWhen() {
    AdminClient.Reply created = admin.call("POST", "/admin/orgs",
        "{\"id\": \"tokyo\", \"time_zone\": \"Asia/Tokyo\"}");
    assertEquals(201, created.status(), created.toString());
    assertEquals("Asia/Tokyo", created.json().get("time_zone").asText());
    String key = admin.issueKey("tokyo");
    assertEquals(200, admin.call("PUT", "/admin/orgs/tokyo/limits/team/research",
        "{\"requests_per_day\": 2, \"daily_budget_usd\": \"10\", \"models\": {\"gpt-4o*\": {\"daily_budget_usd\": \"5\"}}}")
        .status());

    assertEquals(200, chat(key, "research").statusCode());
    assertEquals(200, chat(key, "research").statusCode());
    assertEquals(200, chat(key, "ops").statusCode());
    assertEquals(429, chat(key, "research").statusCode());

    JsonNode quota = admin.quota("tokyo");
    assertEquals("Asia/Tokyo", quota.get("time_zone").asText());
    assertEquals("2026-11-22T15:00:00Z", quota.at("/resets_at/day").asText(), "midnight in Tokyo");
    assertEquals("2026-11-30T15:00:00Z", quota.at("/resets_at/month").asText());
    assertEquals(3, quota.at("/windows/day/requests").asLong());

    JsonNode research = admin.call("GET", "/admin/orgs/tokyo/quota?scope=team:research", null).json();
    assertEquals("team", research.get("scope").asText());
    assertEquals("research", research.get("value").asText());
    assertEquals(2, research.at("/limits/requests_per_day").asLong());
    assertEquals(2, research.at("/usage/day/requests").asLong());
    assertEquals(0, research.at("/remaining/requests_per_day").asLong());
    String left = research.at("/remaining/daily_budget_usd").asText();
    assertTrue(left.startsWith("9.99"), left);
    assertEquals("2026-11-22T15:00:00Z", research.at("/resets_at/day").asText());
    // The Tokyo day began at 15:00 UTC yesterday: 19 h 15 min 20 s of its 24 h have passed.
    long spent = new java.math.BigDecimal(research.at("/usage/day/cost_usd").asText()).movePointRight(9).longValueExact();
    assertEquals(io.tollgate.protocol.money.Money.formatUsd(spent * 86_400L / 69_320L),
        research.at("/forecast/daily_budget_usd/projected_usd").asText(), "the day's spend at its rate so far");
    assertTrue(research.at("/forecast/daily_budget_usd/runs_out_at").isNull(), "$10 will last the day");
    assertTrue(research.at("/forecast/monthly_budget_usd").isMissingNode(), "no monthly budget, no forecast");
    assertEquals(research.at("/forecast/daily_budget_usd/projected_usd").asText(),
        research.get("forecast").get("models:gpt-4o* daily_budget_usd").get("projected_usd").asText(),
        "a model pattern's budget has its own forecast: every request here was for a gpt-4o model");

    JsonNode teams = admin.call("GET", "/admin/orgs/tokyo/quota/scopes?scope=team", null).json();
    assertEquals(2, teams.get("values").size());
    assertEquals("ops", teams.at("/values/0/value").asText());
    assertEquals(1, teams.at("/values/0/usage/month/requests").asLong());
    assertTrue(teams.at("/values/0/limits").isNull(), "ops has no limits of its own");
    assertTrue(teams.at("/values/0/forecast").isMissingNode(), "nor a forecast");
    assertEquals("research", teams.at("/values/1/value").asText());

    clock.advance(Duration.ofHours(4).plusMinutes(45)); // 15:00:20 UTC: a new day in Tokyo, not yet in UTC
    assertEquals(200, chat(key, "research").statusCode(), "the Tokyo day is over");
    assertEquals(1, admin.call("GET", "/admin/orgs/tokyo/quota?scope=team:research", null).json()
        .at("/usage/day/requests").asLong());
  }

  @Test
  void theTimeZoneIsCheckedAndCanBeChanged() {
    AdminClient.Reply bad = admin.call("POST", "/admin/orgs", "{\"id\": \"mars\", \"time_zone\": \"Mars/Olympus\"}");
    assertEquals(400, bad.status());
    assertTrue(bad.json().at("/error/message").asText().contains("IANA time zone"));
    admin.createOrg("berlin", null);
    assertEquals("UTC", admin.call("GET", "/admin/orgs/berlin", null).json().get("time_zone").asText());
    AdminClient.Reply changed = admin.call("PATCH", "/admin/orgs/berlin", "{\"time_zone\": \"Europe/Berlin\"}");
    assertEquals(200, changed.status(), changed.toString());
    assertEquals("Europe/Berlin", admin.call("GET", "/admin/orgs/berlin", null).json().get("time_zone").asText());
    assertEquals(400, admin.call("PATCH", "/admin/orgs/berlin", "{\"name\": \"x\"}").status());
    assertEquals(404, admin.call("PATCH", "/admin/orgs/nobody", "{\"time_zone\": \"UTC\"}").status());
    assertEquals(400, admin.call("GET", "/admin/orgs/berlin/quota?scope=galaxy:x", null).status());
    assertEquals(400, admin.call("GET", "/admin/orgs/berlin/quota/scopes?scope=org", null).status());
  }
}
