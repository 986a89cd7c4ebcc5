package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The PII policy against a real node, PostgreSQL and simulator: off, the prompt goes as it came; redact, the
 * provider sees placeholders; block (a key's, over its org's), a 400 in the provider's format, recorded and
 * counted in no quota; the types found are counted, their values never shown.
 */
class PiiPolicyTest {
  private static final String PERSONAL = "Refund jane.doe@example.com, card 4111 1111 1111 1111, SSN 123-45-6789.";

  @Test
  void promptsAreRedactedOrRefusedAsTheOrgAndKeySay() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(),
          new TestClock(Instant.now())));
      try {
        node.admin().createOrg("private", null);
        String key = node.admin().issueKey("private");
        String strict = node.admin().issueKey("private");
        String strictId = strict.split("_")[2];
        String body = ProxyClient.chat("gpt-4o-mini", PERSONAL, 20, false);
        String url = node.baseUrl() + "/v1/chat/completions";

        assertEquals(200, ProxyClient.post(url, key, body).statusCode());
        assertTrue(simulator.lastRequest().orElseThrow().body().contains("jane.doe@example.com"), "off: as it came");

        var set = node.admin().call("PUT", "/admin/orgs/private/policies", "{\"pii\": {\"mode\": \"redact\"}}");
        assertEquals(200, set.status(), set.json().toString());
        assertEquals("redact", set.json().at("/pii/mode").asText());
        assertEquals(200, ProxyClient.post(url, key, body).statusCode());
        String sent = simulator.lastRequest().orElseThrow().body();
        assertFalse(sent.contains("jane.doe") || sent.contains("4111") || sent.contains("123-45"), sent);
        assertTrue(sent.contains("Refund [EMAIL], card [CARD], SSN [SSN]."), sent);
        assertTrue(sent.contains("\"model\":\"gpt-4o-mini\""), "the request's machinery is left alone: " + sent);

        assertEquals(200, node.admin().call("PUT", "/admin/orgs/private/keys/" + strictId + "/policies",
            "{\"pii\": {\"mode\": \"block\"}}").status());
        long sentBefore = simulator.requests();
        HttpResponse<String> refused = ProxyClient.post(url, strict, body);
        assertEquals(400, refused.statusCode());
        String message = ProxyClient.json(refused).at("/error/message").asText();
        assertTrue(message.contains("email, card, ssn"), message);
        assertFalse(refused.body().contains("jane.doe"), "never the values");
        assertEquals(sentBefore, simulator.requests(), "the provider never saw it");
        assertEquals(200, ProxyClient.post(url, strict, ProxyClient.chat("gpt-4o-mini", "Nothing personal.", 20,
            false)).statusCode());

        String requestId = refused.headers().firstValue("X-Request-ID").orElseThrow();
        AtomicReference<JsonNode> logged = new AtomicReference<>();
        Eventually.await(Duration.ofSeconds(20), () -> {
          var reply = node.admin().call("GET", "/admin/orgs/private/requests/" + requestId, null);
          assertEquals(200, reply.status());
          logged.set(reply.json());
        });
        assertEquals("pii_blocked", logged.get().get("outcome").asText());
        assertEquals(400, logged.get().get("status").asInt());
        Eventually.await(Duration.ofSeconds(10), () -> assertEquals(3,
            node.admin().quota("private").at("/usage/monthly_requests").asLong(), "the refused one is not counted"));
        Eventually.await(Duration.ofSeconds(10), () -> {
          String metrics = ProxyClient.get(node.managementUrl() + "/metrics");
          assertTrue(metrics.contains("tollgate_pii_entities_total{type=\"email\"} 2.0"), metrics.lines()
              .filter(l -> l.contains("pii")).toList().toString());
        });
      } finally {
        node.close();
      }
    }
  }
}
