package io.tollgate.node.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.FailingUpstream;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fallbacks and downgrades against a real node, PostgreSQL and simulator: OpenAI is down, Mistral answers. A
 * request naming fallbacks, or under an org's or key's policy, is served by the next model; what served it is in
 * the answer and the record, with the failed try beside it; quotas count it once. A scope past its downgrade
 * share is served by the cheaper model.
 */
class FallbackTest {
  private static final String CHAT = ProxyClient.chat("gpt-4o", "hello", 50, false);
  private final TestClock clock = new TestClock(Instant.now());

  private static TestNode node(String openAi, String mistral) {
    return TestNode.start(TestNode.options(TestDatabases.freshSchema(), openAi, new TestClock(Instant.now()))
        .withExtra("tollgate.providers.mistral.base-url = \"" + mistral + "\"\n"
            + "tollgate.providers.mistral.api-key = \"sk-mistral\"\n"));
  }

  /** The request's record in the request log, once projected. */
  private static JsonNode logged(TestNode node, String org, String requestId) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(20), () -> {
      var reply = node.admin().call("GET", "/admin/orgs/" + org + "/requests/" + requestId, null);
      assertEquals(200, reply.status(), "projected");
      found.set(reply.json());
    });
    return found.get();
  }

  @Test
  void aRequestsOwnFallbackServesItWhenTheFirstProviderIsDown() {
    try (UpstreamSimulator mistral = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        FailingUpstream openAi = new FailingUpstream()) {
      TestNode node = node(openAi.url(), mistral.baseUrl());
      try {
        node.admin().createOrg("falls", null);
        String key = node.admin().issueKey("falls");
        HttpResponse<String> answer = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT,
            Map.of("X-Tollgate-Fallbacks", "mistral-large-latest"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("mistral/mistral-large-latest", answer.headers().firstValue("X-Tollgate-Served-By").orElseThrow());
        BigDecimal cost = new BigDecimal(answer.headers().firstValue("X-Tollgate-Cost-USD").orElseThrow());
        assertTrue(cost.signum() > 0, "priced at Mistral's price");

        JsonNode record = logged(node, "falls", answer.headers().firstValue("X-Request-ID").orElseThrow());
        assertEquals("mistral", record.get("provider").asText());
        assertEquals(cost, new BigDecimal(record.get("cost_usd").asText()), "the answer's cost is the record's");
        JsonNode attempts = record.get("attempts");
        assertEquals(1, attempts.size(), record.toString());
        assertEquals("openai", attempts.get(0).get("provider").asText());
        assertEquals("gpt-4o", attempts.get(0).get("model").asText());
        assertEquals(503, attempts.get(0).get("status").asInt());
        assertEquals("upstream_error", attempts.get(0).get("outcome").asText());
        Eventually.await(Duration.ofSeconds(10), () -> assertEquals(1,
            node.admin().quota("falls").at("/usage/monthly_requests").asLong(), "one client request, counted once"));

        HttpResponse<String> none = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT);
        assertEquals(502, none.statusCode(), "without fallbacks OpenAI's 503 is passed on");
        HttpResponse<String> wrongApi = ProxyClient.post(node.baseUrl() + "/v1/embeddings", key,
            "{\"model\": \"text-embedding-3-small\", \"input\": \"x\"}", Map.of("X-Tollgate-Fallbacks", "x"));
        assertEquals(400, wrongApi.statusCode());
        assertTrue(ProxyClient.json(wrongApi).at("/error/message").asText().contains("chat completions"),
            wrongApi.body());
      } finally {
        node.close();
      }
    }
  }

  @Test
  void theOrgsAndKeysPoliciesNameFallbacks() {
    try (UpstreamSimulator mistral = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        FailingUpstream openAi = new FailingUpstream()) {
      TestNode node = node(openAi.url(), mistral.baseUrl());
      try {
        node.admin().createOrg("ruled", null);
        String key = node.admin().issueKey("ruled");
        String keyId = node.admin().call("GET", "/admin/orgs/ruled/keys", null).json().get("keys").get(0).get("id").asText();
        var set = node.admin().call("PUT", "/admin/orgs/ruled/policies",
            "{\"fallbacks\": {\"gpt-4o*\": [\"mistral/mistral-small-latest\"]}}");
        assertEquals(200, set.status(), set.json().toString());
        assertEquals("mistral/mistral-small-latest", set.json().at("/fallbacks/gpt-4o*/0").asText());
        HttpResponse<String> byOrg = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT);
        assertEquals(200, byOrg.statusCode(), byOrg.body());
        assertEquals("mistral/mistral-small-latest", byOrg.headers().firstValue("X-Tollgate-Served-By").orElseThrow());

        assertEquals(200, node.admin().call("PUT", "/admin/orgs/ruled/keys/" + keyId + "/policies",
            "{\"fallbacks\": {\"gpt-4o\": [\"mistral-large-latest\"]}}").status());
        HttpResponse<String> byKey = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT);
        assertEquals("mistral/mistral-large-latest", byKey.headers().firstValue("X-Tollgate-Served-By").orElseThrow(),
            "the key's own fallbacks before the org's");
        assertEquals(400, node.admin().call("PUT", "/admin/orgs/ruled/policies", "{\"fallback\": {}}").status());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/ruled/keys/nokey/policies", null).status());
      } finally {
        node.close();
      }
    }
  }

  @Test
  void aScopePastItsDowngradeShareIsServedByTheCheaperModel() {
    try (UpstreamSimulator openAi = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), openAi.baseUrl(), clock));
      try {
        node.admin().createOrg("thrifty", null);
        String key = node.admin().issueKey("thrifty");
        var limits = node.admin().call("PUT", "/admin/orgs/thrifty/limits/team/research", "{\"monthly_budget_usd\":"
            + " \"0.000001\", \"enforcement\": \"soft\", \"downgrade\": {\"at_percent\": 50, \"to\": \"gpt-4o-mini\"}}");
        assertEquals(200, limits.status(), limits.json().toString());
        Map<String, String> research = Map.of("X-Team-ID", "research");
        HttpResponse<String> first = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT, research);
        assertEquals("openai/gpt-4o", first.headers().firstValue("X-Tollgate-Served-By").orElseThrow());
        Eventually.await(Duration.ofSeconds(10), () -> {
          HttpResponse<String> next = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT, research);
          assertEquals(200, next.statusCode());
          assertEquals("openai/gpt-4o-mini", next.headers().firstValue("X-Tollgate-Served-By").orElseThrow(),
              "the team spent past half its budget");
        });
        HttpResponse<String> other = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, CHAT);
        assertEquals("openai/gpt-4o", other.headers().firstValue("X-Tollgate-Served-By").orElseThrow(),
            "no team: served as asked");
      } finally {
        node.close();
      }
    }
  }
}
