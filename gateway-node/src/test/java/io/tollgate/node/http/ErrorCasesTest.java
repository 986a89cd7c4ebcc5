package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a request can fail gets a clear error in OpenAI's format, crashes nothing, and is never
 * recorded as a success.
 */
class ErrorCasesTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.requests.max-body-bytes = 4096\ntollgate.requests.upstream-timeout = 2s"));
    node.admin().createOrg("errors", null);
    key = node.admin().issueKey("errors");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static String url() {
    return node.baseUrl() + "/v1/chat/completions";
  }

  private static JsonNode expectError(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = ProxyClient.json(response);
    assertFalse(error.at("/error/message").asText().isBlank());
    if (code != null) {
      assertEquals(code, error.at("/error/code").asText());
    }
    return error;
  }

  private static UsageRecord recordOf(HttpResponse<?> response) {
    String id = response.headers().firstValue("X-Request-ID").orElseThrow();
    return awaitRecord(id);
  }

  private static UsageRecord awaitRecord(String requestId) {
    UsageRecord[] found = new UsageRecord[1];
    Eventually.await(Duration.ofSeconds(10), () -> found[0] = node.journal().usage("errors").stream()
        .filter(r -> r.requestId().equals(requestId)).findFirst().orElseThrow(() -> new AssertionError("not journaled yet")));
    return found[0];
  }

  @Test
  void malformedBodiesAre400() {
    JsonNode error = expectError(ProxyClient.post(url(), key, "{\"model\": \"gpt-4o\", "), 400, null);
    assertEquals("invalid_request_error", error.at("/error/type").asText());
    error = expectError(ProxyClient.post(url(), key, "{\"messages\": []}"), 400, null);
    assertEquals("You must provide a model parameter.", error.at("/error/message").asText());
    expectError(ProxyClient.post(url(), key, "[]"), 400, null);
  }

  @Test
  void missingUnknownAndRevokedKeysAre401() {
    String body = ProxyClient.chat("gpt-4o-mini", "hi", 5, false);
    expectError(ProxyClient.post(url(), null, body), 401, "invalid_api_key");
    expectError(ProxyClient.post(url(), "sk-not-a-tollgate-key", body), 401, "invalid_api_key");
    String wrongSecret = key.substring(0, key.lastIndexOf('_') + 1) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expectError(ProxyClient.post(url(), wrongSecret, body), 401, "invalid_api_key");

    node.admin().createOrg("revoking", null);
    String doomed = node.admin().issueKey("revoking");
    assertEquals(200, ProxyClient.post(url(), doomed, body).statusCode());
    String keyId = doomed.split("_")[2];
    assertEquals(200, node.admin().call("DELETE", "/admin/orgs/revoking/keys/" + keyId, null).status());
    JsonNode error = expectError(ProxyClient.post(url(), doomed, body), 401, "invalid_api_key");
    assertTrue(error.at("/error/message").asText().contains("revoked"));
  }

  @Test
  void bodiesOverTheLimitAre413WithOrWithoutContentLength() throws Exception {
    String big = ProxyClient.chat("gpt-4o-mini", "x".repeat(5000), 5, false);
    expectError(ProxyClient.post(url(), key, big), 413, "request_too_large");
    HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url()))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
        .build(), HttpResponse.BodyHandlers.ofString());
    expectError(chunked, 413, "request_too_large");
  }

  @Test
  void invalidAttributionIs400() {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      headers.put("X-Tollgate-Tag-t" + i, "v");
    }
    expectError(ProxyClient.post(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false), headers), 400, null);
    expectError(ProxyClient.post(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false),
        Map.of("X-Agent-ID", "a".repeat(300))), 400, null);
  }

  @Test
  void anUpstreamServerErrorIsA502WithTheProvidersBodyAndNotASuccess() {
    HttpResponse<String> response = ProxyClient.post(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false),
        Map.of("X-Sim-Fault", "500"));
    JsonNode error = expectError(response, 502, null);
    assertEquals("server_error", error.at("/error/type").asText());
    assertTrue(error.at("/error/message").asText().contains("Sorry about that"), "the provider's own error is passed on");
    UsageRecord r = recordOf(response);
    assertEquals(Outcome.UPSTREAM_ERROR, r.outcome());
    assertEquals(502, r.status());
    assertEquals(0, r.costNanos());
  }

  @Test
  void anUpstreamRateLimitIsPassedOn() {
    HttpResponse<String> response = ProxyClient.post(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false),
        Map.of("X-Sim-Fault", "429"));
    expectError(response, 429, "rate_limit_exceeded");
    assertEquals(Outcome.UPSTREAM_ERROR, recordOf(response).outcome());
  }

  @Test
  void aSlowUpstreamIsA504() {
    HttpResponse<String> response = ProxyClient.post(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false),
        Map.of("X-Sim-Latency-Ms", "4000"));
    expectError(response, 504, "upstream_timeout");
    assertEquals(Outcome.UPSTREAM_TIMEOUT, recordOf(response).outcome());
  }

  @Test
  void aStreamCutByTheUpstreamReachesTheClientAsAnErrorAndIsRecordedAsEstimated() throws Exception {
    HttpRequest request = ProxyClient.request(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 30, true),
        Map.of("X-Sim-Fault", "cut:4", "X-Sim-Chunk-Delay-Ms", "30"));
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode(), "the stream had started");
    assertThrows(IOException.class, () -> response.body().readAllBytes(), "the client sees the stream break, not end");
    UsageRecord r = recordOf(response);
    assertEquals(Outcome.UPSTREAM_CUT, r.outcome());
    assertTrue(r.estimated());
    assertTrue(r.tokens().output() > 0 && r.tokens().output() < 30, "what was streamed is counted: " + r.tokens());
    assertTrue(r.tokens().input() > 0);
  }

  @Test
  void aClientThatLeavesMidStreamCancelsTheUpstreamAndWhatItGotIsRecorded() throws Exception {
    long cancelledBefore = simulator.streamsCancelled();
    HttpRequest request = ProxyClient.request(url(), key, ProxyClient.chat("gpt-4o-mini", "hi", 200, true),
        Map.of("X-Sim-Chunk-Delay-Ms", "50", "X-Sim-Completion-Tokens", "200"));
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = response.body();
    byte[] some = new byte[600];
    int read = 0;
    while (read < some.length) {
      read += body.read(some, read, some.length - read);
    }
    body.close();
    Eventually.await(Duration.ofSeconds(10), () -> assertEquals(cancelledBefore + 1, simulator.streamsCancelled(),
        "the upstream call was cancelled"));
    UsageRecord r = recordOf(response);
    assertEquals(Outcome.CLIENT_DISCONNECTED, r.outcome());
    assertTrue(r.estimated());
    assertTrue(r.tokens().output() >= 1 && r.tokens().output() < 200, "counted what was streamed: " + r.tokens());
  }

  @Test
  void unknownPathsAre404InOpenAiFormat() {
    HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/v1/nonsense", key, "{}");
    expectError(response, 404, "unknown_url");
  }

  @Test
  void aProviderWithoutCredentialsIsRefusedInItsOwnFormatWithoutCallingAnyone() {
    // This node configures only OpenAI (towards the simulator); Anthropic, Gemini and Mistral have no key.
    HttpResponse<String> anthropic = ProxyClient.post(node.baseUrl() + "/v1/messages", null,
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}", Map.of("x-api-key", key));
    assertEquals(403, anthropic.statusCode());
    JsonNode a = ProxyClient.json(anthropic);
    assertEquals("error", a.get("type").asText());
    assertEquals("permission_error", a.at("/error/type").asText());
    assertTrue(a.at("/error/message").asText().contains("'anthropic' is not configured"), a.toString());

    HttpResponse<String> gemini = ProxyClient.post(node.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent",
        null, "{\"contents\":[]}", Map.of("x-goog-api-key", key));
    assertEquals(403, gemini.statusCode());
    assertEquals("PERMISSION_DENIED", ProxyClient.json(gemini).at("/error/status").asText());

    HttpResponse<String> mistral = ProxyClient.post(node.baseUrl() + "/mistral/chat/completions", key,
        ProxyClient.chat("mistral-small-latest", "hi", 4, false));
    expectError(mistral, 403, "provider_not_configured");
    assertFalse(mistral.body().contains(TestNode.UPSTREAM_KEY));
  }

  @Test
  void nothingThatFailedIsRecordedAsASuccess() {
    anUpstreamServerErrorIsA502WithTheProvidersBodyAndNotASuccess();
    List<UsageRecord> records = node.journal().usage("errors");
    for (UsageRecord r : records) {
      boolean success = r.outcome() == Outcome.COMPLETED && r.status() >= 200 && r.status() < 300;
      assertEquals(r.outcome() == Outcome.COMPLETED, success, "record " + r);
    }
    assertTrue(records.stream().noneMatch(r -> r.outcome() == Outcome.COMPLETED && r.status() >= 400));
  }
}
