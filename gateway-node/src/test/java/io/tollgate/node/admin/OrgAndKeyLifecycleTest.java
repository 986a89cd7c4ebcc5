package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Disabling an org, keys that expire, rotation with a grace period, and when a key was last used. */
class OrgAndKeyLifecycleTest {
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

  private static HttpResponse<String> chat(String key) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false));
  }

  private static String message(HttpResponse<String> response) {
    return ProxyClient.json(response).at("/error/message").asText();
  }

  @Test
  void aDisabledOrgRefusesEveryKeyAndForgetsNothing() {
    admin.createOrg("paused", "{\"requests_per_minute\": 100}");
    String key = admin.issueKey("paused");
    assertEquals(200, chat(key).statusCode());

    JsonNode disabled = admin.call("POST", "/admin/orgs/paused/disable", null).json();
    assertEquals("disabled", disabled.get("status").asText());
    HttpResponse<String> refused = chat(key);
    assertEquals(403, refused.statusCode());
    assertTrue(message(refused).contains("organization is disabled"), message(refused));
    assertEquals(401, chat(key.substring(0, key.length() - 2) + "xx").statusCode(), "a wrong secret learns nothing");
    assertEquals(100, admin.quota("paused").at("/limits/requests_per_minute").asLong(), "its limits are kept");

    assertEquals("active", admin.call("POST", "/admin/orgs/paused/enable", null).json().get("status").asText());
    assertEquals(200, chat(key).statusCode(), "the same key works again");
    assertEquals(404, admin.call("POST", "/admin/orgs/nobody/disable", null).status());
  }

  @Test
  void aKeyStopsAtItsExpiryAndARotatedSecretWorksUntilItsGraceEnds() {
    admin.createOrg("rotating", null);
    AdminClient.Reply temp = admin.call("POST", "/admin/orgs/rotating/keys",
        "{\"name\": \"trial\", \"expires_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
    assertEquals(201, temp.status(), temp.toString());
    String trial = temp.json().get("key").asText();
    assertEquals(200, chat(trial).statusCode());
    assertEquals(400, admin.call("POST", "/admin/orgs/rotating/keys", "{\"expires_at\": \"tomorrow\"}").status());

    AdminClient.Reply issued = admin.call("POST", "/admin/orgs/rotating/keys", "{\"name\": \"app\"}");
    String old = issued.json().get("key").asText();
    String keyId = issued.json().get("id").asText();
    assertTrue(issued.json().get("last_used_at").isNull());
    assertEquals(200, chat(old).statusCode());

    AdminClient.Reply rotated = admin.call("POST", "/admin/orgs/rotating/keys/" + keyId + "/rotate",
        "{\"grace_seconds\": 3600}");
    assertEquals(200, rotated.status(), rotated.toString());
    String fresh = rotated.json().get("key").asText();
    assertNotEquals(old, fresh);
    assertEquals(keyId, rotated.json().get("id").asText(), "the same key, a new secret");
    assertEquals(clock.instant().plus(Duration.ofHours(1)).toString(),
        rotated.json().get("previous_secret_valid_until").asText());
    assertEquals(200, chat(fresh).statusCode());
    assertEquals(200, chat(old).statusCode(), "the old secret during the grace");

    clock.advance(Duration.ofHours(1));
    HttpResponse<String> expired = chat(trial);
    assertEquals(401, expired.statusCode());
    assertTrue(message(expired).contains("expired at"), message(expired));
    assertEquals(401, chat(old).statusCode(), "the grace is over");
    assertEquals(200, chat(fresh).statusCode());

    Eventually.await(Duration.ofSeconds(10), () -> {
      java.util.Map<String, JsonNode> keys = new java.util.HashMap<>();
      admin.call("GET", "/admin/orgs/rotating/keys", null).json().get("keys").forEach(k -> keys.put(k.get("id").asText(), k));
      assertEquals(clock.instant().toString(), keys.get(keyId).get("last_used_at").asText(), "the request just made");
      JsonNode trialKey = keys.get(temp.json().get("id").asText());
      assertEquals(temp.json().get("expires_at").asText(), trialKey.get("expires_at").asText());
      assertEquals("2026-11-22T10:15:20Z", trialKey.get("last_used_at").asText(), "used before it expired");
    });
    assertEquals(400, admin.call("POST", "/admin/orgs/rotating/keys/" + keyId + "/rotate",
        "{\"grace_seconds\": -1}").status());
    assertEquals(404, admin.call("POST", "/admin/orgs/rotating/keys/nope/rotate", "{}").status());
  }

  @Test
  void everyOrgIsListedAPageAtATimeWithItsStatusAndSpend() {
    for (String org : java.util.List.of("list-c", "list-a", "list-b")) {
      admin.createOrg(org, null);
    }
    String key = admin.issueKey("list-b");
    assertEquals(200, chat(key).statusCode());
    admin.call("POST", "/admin/orgs/list-c/disable", null);

    java.util.List<JsonNode> listed = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = admin.call("GET", "/admin/orgs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null).json();
      assertTrue(page.get("orgs").size() <= 2);
      page.get("orgs").forEach(listed::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 20);
    java.util.List<String> ids = listed.stream().map(o -> o.get("id").asText()).toList();
    assertEquals(ids.stream().sorted().toList(), ids, "in id order, each once");
    assertTrue(ids.containsAll(java.util.List.of("list-a", "list-b", "list-c")), ids.toString());
    JsonNode b = listed.get(ids.indexOf("list-b"));
    Eventually.await(Duration.ofSeconds(10), () -> assertEquals(0, admin.quota("list-b").at("/usage/in_flight").asInt()));
    assertEquals("active", b.get("status").asText());
    assertEquals(1, b.get("monthly_requests").asLong());
    assertTrue(b.get("monthly_cost_usd").asText().startsWith("0.0000"), b.toString());
    assertEquals("disabled", listed.get(ids.indexOf("list-c")).get("status").asText());
    assertEquals(400, admin.call("GET", "/admin/orgs?limit=0", null).status());
    assertEquals(400, admin.call("GET", "/admin/orgs?cursor=Not%20An%20Org", null).status());
  }
}
