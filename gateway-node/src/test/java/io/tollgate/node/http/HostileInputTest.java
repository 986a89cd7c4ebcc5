package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The findings of the bad-input drill, each against a real node: what a client or a provider sends can be
 * refused, but never poisons the journal, the read model or the node, and never reaches the provider beside
 * the operator's key when it is not the provider's to see.
 */
class HostileInputTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.providers.anthropic.base-url = \"" + simulator.baseUrl() + "\""));
    node.admin().createOrg("hostile", "{\"monthly_budget_usd\": \"5.00\"}");
    key = node.admin().issueKey("hostile");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static HttpResponse<String> chat(String body, Map<String, String> headers) {
    return chat(key, body, headers);
  }

  private static HttpResponse<String> chat(String key, String body, Map<String, String> headers) {
    return ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body, headers);
  }

  private static void expectNothingHeld() {
    Eventually.await(Duration.ofSeconds(10), () -> {
      assertEquals(0, node.node().requestsInFlight(), "every node slot given back");
      assertEquals(0, node.admin().quota("hostile").at("/usage/in_flight").asLong());
    });
  }

  @Test
  void aModelThatIsNotPrintableTextIsRefusedInTheCallersFormat() {
    for (String model : List.of("gpt-4o-mini\\ud800", "gpt-4o-mini\\u0000", "gpt\\u001b[31m", "m".repeat(300))) {
      HttpResponse<String> r = chat("{\"model\":\"" + model + "\",\"messages\":[]}", Map.of());
      assertEquals(400, r.statusCode(), model + ": " + r.body());
      assertTrue(ProxyClient.json(r).at("/error/message").asText().contains("model name"), r.body());
    }
    HttpResponse<String> anthropic = ProxyClient.post(node.baseUrl() + "/v1/messages", null,
        "{\"model\":\"claude\\ud800\",\"max_tokens\":5,\"messages\":[]}", Map.of("x-api-key", key));
    assertEquals(400, anthropic.statusCode());
    assertEquals("invalid_request_error", ProxyClient.json(anthropic).at("/error/type").asText());
    expectNothingHeld();
  }

  @Test
  void anEndUserThatIsNotPrintableIsDroppedAndTheRequestServed() {
    HttpResponse<String> r = chat("{\"model\":\"gpt-4o-mini\",\"user\":\"u\\ud800\",\"max_tokens\":4,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of("X-Agent-ID", "unpaired-user"));
    assertEquals(200, r.statusCode(), r.body());
    Eventually.await(Duration.ofSeconds(10), () -> {
      UsageRecord record = records().stream().filter(u -> "unpaired-user".equals(u.attribution().agent()))
          .findFirst().orElseThrow(() -> new AssertionError("not journaled"));
      assertNull(record.attribution().user());
    });
  }

  @Test
  void anOutputCapNoModelHasIsRefusedAndHoldsNothing() {
    HttpResponse<String> chat = chat(ProxyClient.chat("gpt-4o-mini", "hi", null, false)
        .replace("}]", "}],\"max_tokens\":9223372036854775807"), Map.of());
    assertEquals(400, chat.statusCode(), chat.body());
    assertTrue(chat.body().contains("max_tokens"), chat.body());
    HttpResponse<String> responses = ProxyClient.post(node.baseUrl() + "/v1/responses", key,
        "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"max_output_tokens\":1e18}");
    assertEquals(400, responses.statusCode(), responses.body());
    HttpResponse<String> messages = ProxyClient.post(node.baseUrl() + "/v1/messages", null,
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1e18,\"messages\":[]}", Map.of("x-api-key", key));
    assertEquals(400, messages.statusCode(), messages.body());
    expectNothingHeld();
  }

  @Test
  void absurdCountsFromTheProviderAreRecordedSaturatedNotLost() {
    node.admin().createOrg("absurd", "{\"monthly_budget_usd\": \"5.00\"}");
    String absurd = node.admin().issueKey("absurd");
    String huge = "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\\ud800\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":1e30}}";
    simulator.addReplay("huge-usage", huge.getBytes(StandardCharsets.UTF_8), 200);
    String stream = "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":1e18,\"completion_tokens\":9223372036854775807}}\n\ndata: [DONE]\n\n";
    simulator.addReplay("huge-usage.sse", stream.getBytes(StandardCharsets.UTF_8), 200);
    simulator.addReplay("null-usage", ("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hello\"}}],\"usage\":null}")
        .getBytes(StandardCharsets.UTF_8), 200);

    HttpResponse<String> nullUsage = chat(absurd, ProxyClient.chat("gpt-4o-mini", "hi", 4, false),
        Map.of("X-Sim-Replay", "null-usage", "X-Agent-ID", "null-usage"));
    assertEquals(200, nullUsage.statusCode(), "a 200 without usage is a 200: " + nullUsage.body());

    HttpResponse<String> whole = chat(absurd, ProxyClient.chat("gpt-4o-mini", "hi", 4, false),
        Map.of("X-Sim-Replay", "huge-usage", "X-Agent-ID", "huge-whole"));
    assertEquals(200, whole.statusCode(), whole.body());
    HttpResponse<String> streamed = chat(absurd, ProxyClient.chat("gpt-4o-mini", "hi", 4, true),
        Map.of("X-Sim-Replay", "huge-usage.sse", "X-Agent-ID", "huge-stream"));
    assertEquals(200, streamed.statusCode());

    Eventually.await(Duration.ofSeconds(10), () -> {
      UsageRecord w = byAgent("absurd", "huge-whole");
      assertEquals(Outcome.COMPLETED, w.outcome());
      assertEquals(TokenUsage.MAX_COUNT, w.tokens().input());
      assertEquals("gpt-4o-mini\uFFFD", w.model(), "a model no catalog knows (so unpriced), as safe text");
      UsageRecord s = byAgent("absurd", "huge-stream");
      assertEquals(Outcome.COMPLETED, s.outcome(), "a stream with absurd counts is recorded, not abandoned at $0");
      assertEquals(TokenUsage.MAX_COUNT, s.tokens().output());
      assertTrue(s.costNanos() > 5_000_000_000L, "priced, far past the budget: " + s.costNanos());
      assertTrue(byAgent("absurd", "null-usage").estimated(), "counted by the gateway instead");
    });
    JsonNode quota = node.admin().quota("absurd");
    assertTrue(quota.at("/remaining/monthly_budget_usd").asText().startsWith("0"), "the budget is spent: " + quota);
    assertEquals(429, chat(absurd, ProxyClient.chat("gpt-4o-mini", "hi", 4, false), Map.of()).statusCode(),
        "and holds: no more requests");
  }

  @Test
  void onlyTheProvidersOwnClientHeadersGoUpstream() {
    HttpResponse<String> r = chat(ProxyClient.chat("gpt-4o-mini", "hi", 4, false), Map.of(
        "OpenAI-Organization", "org-victim", "OpenAI-Project", "proj-victim", "X-Forwarded-For", "10.0.0.1",
        "Forwarded", "for=10.0.0.1", "X-Custom", "x", "X-Tollgate-Tag-team", "a", "OpenAI-Beta", "assistants=v2",
        "X-Sim-Hop", "1"));
    assertTrue(r.statusCode() == 200 || r.statusCode() == 429, r.body());
    Map<String, String> seen = simulator.lastRequest().orElseThrow().headers();
    for (String header : List.of("openai-organization", "openai-project", "x-forwarded-for", "forwarded", "x-custom",
        "x-tollgate-tag-team")) {
      assertFalse(seen.containsKey(header), header + " reached the provider: " + seen);
    }
    assertEquals("assistants=v2", seen.get("openai-beta"), "the provider's own header goes through");
    assertEquals("1", seen.get("x-sim-hop"), "and those the operator lists (TOLLGATE_FORWARD_HEADERS)");
    assertEquals("Bearer " + TestNode.UPSTREAM_KEY, seen.get("authorization"));
  }

  @Test
  void onlyExactProxyPathsAreProxied() {
    for (String path : List.of("/openai/foo/chat/completions", "/v1/foo/chat/completions", "/openai/chat/completions/x")) {
      HttpResponse<String> r = ProxyClient.post(node.baseUrl() + path, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false));
      assertEquals(404, r.statusCode(), path);
    }
  }

  @Test
  void adminTextThatIsNotPrintableIsRefused() {
    assertEquals(400, node.admin().call("POST", "/admin/orgs", "{\"id\":\"surrogate\",\"name\":\"x\\ud800\"}").status());
    assertEquals(400, node.admin().call("POST", "/admin/orgs/hostile/keys", "{\"name\":\"k\\u0000\"}").status());
    assertEquals(404, node.admin().call("GET", "/admin/orgs/surrogate", null).status(), "nothing was created");
  }

  @Test
  void whatTheHttpLayerCannotParseIsAnsweredInJsonAndAsTheClientsMistake() throws Exception {
    assertRaw("FOO /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n", 405);
    assertRaw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    assertRaw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431);
    assertRaw("GET /health/live HTTP/3.7\r\nHost: x\r\n\r\n", 400);
  }

  private static void assertRaw(String request, int status) throws Exception {
    java.net.URI base = java.net.URI.create(node.baseUrl());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
      assertTrue(answer.contains("application/json") && answer.contains("\"error\""), answer);
    }
  }

  @Test
  void anUnknownUrlIsAnsweredInItsProvidersFormat() {
    HttpResponse<String> anthropic = ProxyClient.post(node.baseUrl() + "/anthropic/v1/nonsense", null, "{}",
        Map.of("x-api-key", key));
    assertEquals(404, anthropic.statusCode());
    assertEquals("error", ProxyClient.json(anthropic).get("type").asText(), anthropic.body());
    HttpResponse<String> gemini = ProxyClient.post(node.baseUrl() + "/gemini/v1beta/nonsense", null, "{}", Map.of());
    assertEquals(404, gemini.statusCode());
    assertEquals("NOT_FOUND", ProxyClient.json(gemini).at("/error/status").asText(), gemini.body());
  }

  @Test
  void adminAnswersAreNeverCachedNorSniffed() throws Exception {
    for (String path : List.of("/admin/orgs/hostile", "/admin/orgs/none")) {
      HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(node.baseUrl() + path)).header("Authorization", "Bearer " + TestNode.ADMIN_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
    }
  }

  private static List<UsageRecord> records() {
    return node.journal().usage("hostile");
  }

  private static UsageRecord byAgent(String org, String agent) {
    return node.journal().usage(org).stream().filter(r -> agent.equals(r.attribution().agent())).findFirst()
        .orElseThrow(() -> new AssertionError("no record for " + agent));
  }
}
