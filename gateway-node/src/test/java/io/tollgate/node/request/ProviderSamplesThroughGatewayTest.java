package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.pricing.PricingCatalog;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real provider sample, replayed by the simulator behind the gateway at that provider's own route:
 * the client gets the sample byte for byte, and the journal holds the usage the sample must yield.
 */
class ProviderSamplesThroughGatewayTest {
  private static final PricingCatalog CATALOG = PricingCatalog.bundled();
  /** Each provider's base path, as its SDK writes the base URL, on the simulator. */
  private static final Map<String, String> BASE_PATHS = Map.ofEntries(
      Map.entry("openai", "/v1"), Map.entry("anthropic", ""), Map.entry("gemini", ""), Map.entry("azure", ""),
      Map.entry("xai", "/v1"), Map.entry("mistral", "/v1"), Map.entry("groq", "/openai/v1"),
      Map.entry("deepseek", ""), Map.entry("together", "/v1"), Map.entry("openrouter", "/api/v1"),
      Map.entry("cohere", ""));

  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    StringBuilder providers = new StringBuilder();
    BASE_PATHS.forEach((id, base) -> providers.append("tollgate.providers.").append(id).append(".base-url = \"")
        .append("http://127.0.0.1:").append(simulator.port()).append(base).append("\"\n"));
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra(providers.toString()));
    node.admin().createOrg("samples", null);
    key = node.admin().issueKey("samples");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  static Stream<String> samples() {
    return Fixtures.samples().stream();
  }

  /** The route a client of this provider's SDK calls for this sample, with the key where that SDK puts it. */
  private static HttpRequest request(String sample) {
    String folder = sample.substring(0, sample.indexOf('/'));
    String name = sample.substring(sample.indexOf('/') + 1);
    boolean stream = sample.endsWith(".sse");
    String provider = folder.startsWith("openai") ? "openai" : folder.equals("azure-openai") ? "azure" : folder;
    String path;
    String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    HttpRequest.Builder b = HttpRequest.newBuilder();
    switch (provider) {
      case "anthropic" -> {
        path = "/anthropic/v1/messages";
        b.header("x-api-key", key).header("anthropic-version", "2023-06-01").header("anthropic-beta", "context-1m-2025-08-07");
      }
      case "gemini" -> {
        path = "/gemini/v1beta/models/gemini-2.5-flash:" + (stream ? "streamGenerateContent?alt=sse&key=" + key : "generateContent");
        body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
        if (!stream) {
          b.header("x-goog-api-key", key);
        }
      }
      case "cohere" -> {
        path = "/cohere/v2/chat";
        b.header("Authorization", "Bearer " + key);
      }
      case "azure" -> {
        path = name.startsWith("responses") ? "/azure/openai/v1/responses" : "/azure/openai/deployments/prod/chat/completions?api-version=2024-10-21";
        b.header("api-key", key);
      }
      default -> {
        path = "/" + provider + (name.startsWith("responses") ? "/responses" : folder.equals("openai-embeddings") ? "/embeddings"
            : provider.equals("deepseek") ? "/chat/completions" : "/chat/completions");
        b.header("Authorization", "Bearer " + key);
      }
    }
    return b.uri(URI.create(node.baseUrl() + path)).header("Content-Type", "application/json")
        .header("X-Sim-Replay", sample).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static int recordedStatus(JsonNode expect) {
    if (expect.has("error") && expect.get("error").has("http_status")) {
      return expect.get("error").get("http_status").asInt();
    }
    return expect.path("http_status").asInt(200);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theClientGetsTheSampleAndTheJournalItsUsage(String sample) throws Exception {
    byte[] bytes = Fixtures.bytes(sample);
    JsonNode expect = Fixtures.expectation(sample);
    int upstreamStatus = recordedStatus(expect);
    simulator.addReplay(sample, bytes, upstreamStatus);

    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request(sample), HttpResponse.BodyHandlers.ofByteArray());
    int expectedStatus = upstreamStatus >= 500 ? 502 : upstreamStatus;
    assertEquals(expectedStatus, response.statusCode(), sample);
    assertArrayEquals(bytes, response.body(), sample + ": the client gets exactly what the provider sent");
    assertTrue(simulator.lastRequest().orElseThrow().headers().values().stream().noneMatch(v -> v.contains(key)),
        sample + ": the client's Tollgate key never goes upstream");
    if (sample.startsWith("anthropic/")) {
      Map<String, String> upstreamHeaders = simulator.lastRequest().orElseThrow().headers();
      assertEquals("2023-06-01", upstreamHeaders.get("anthropic-version"), sample);
      assertEquals("context-1m-2025-08-07", upstreamHeaders.get("anthropic-beta"), sample);
    }

    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
    UsageRecord[] record = new UsageRecord[1];
    Eventually.await(Duration.ofSeconds(10), () -> record[0] = node.journal().usage("samples").stream()
        .filter(r -> r.requestId().equals(requestId)).findFirst().orElseThrow(() -> new AssertionError("not journaled")));
    UsageRecord r = record[0];
    TokenUsage expected = Fixtures.expectedUsage(expect);
    boolean inBandError = sample.endsWith(".sse") && (expect.has("error")
        || expect.path("notes").asText("").matches("(?s).*`(event: )?error`.*"));
    if (upstreamStatus >= 400) {
      assertEquals(Outcome.UPSTREAM_ERROR, r.outcome(), sample);
      assertEquals(0, r.costNanos());
    } else if (inBandError) {
      assertEquals(Outcome.UPSTREAM_ERROR, r.outcome(), sample + ": an error inside a 200 stream is not a success");
    } else {
      assertEquals(Outcome.COMPLETED, r.outcome(), sample);
      TokenUsage got = new TokenUsage(r.tokens().input(), r.tokens().output(), r.tokens().cacheRead(),
          r.tokens().cacheWrite(), r.tokens().reasoning());
      assertEquals(expected, got, sample);
      assertEquals(false, r.estimated(), sample);
      // The cost of the sample's expected usage at the bundled catalog's price for the model it reports.
      var price = CATALOG.resolve(r.provider(), r.model(), r.admittedAtMillis());
      assertEquals(price.isEmpty(), r.unpriced(), sample + ": priced iff the catalog knows " + r.model());
      assertEquals(price.map(p -> Cost.of(expected, p.price())).orElse(0L), r.costNanos(), sample);
      assertEquals(CATALOG.version(), r.pricingVersion(), sample);
      if (expect.hasNonNull("cost_usd")) {
        assertEquals(new java.math.BigDecimal(expect.get("cost_usd").asText()).movePointRight(9).longValueExact(),
            r.providerCostNanos(), sample + ": the provider's own cost is kept");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void tokenCountingIsPassedOnWithNoCostAndNothingJournaled() throws Exception {
    byte[] counted = "{\"input_tokens\":12}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    simulator.addReplay("count-tokens", counted, 200);
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/anthropic/v1/messages/count_tokens"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("Content-Type", "application/json")
        .header("X-Sim-Replay", "count-tokens").POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertArrayEquals(counted, response.body());
    assertTrue(response.headers().firstValue("X-Tollgate-Cost-USD").isEmpty(), "token counting is not billed");
    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
    Thread.sleep(300); // a record, were one made, is journaled within milliseconds
    assertTrue(node.journal().usage("samples").stream().noneMatch(r -> r.requestId().equals(requestId)));
  }

  @org.junit.jupiter.api.Test
  void geminiBatchEmbeddingsAreRoutedAndMetered() throws Exception {
    simulator.addReplay("batch-embed", "{\"embeddings\":[{\"values\":[0.1,0.2]},{\"values\":[0.3,0.4]}]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), 200);
    String body = "{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":"
        + "\"the first of two texts to embed\"}]}},{\"model\":\"models/gemini-embedding-001\",\"content\":"
        + "{\"parts\":[{\"text\":\"and the second\"}]}}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl()
            + "/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents"))
        .header("x-goog-api-key", key).header("Content-Type", "application/json").header("X-Sim-Replay", "batch-embed")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
    UsageRecord[] record = new UsageRecord[1];
    Eventually.await(Duration.ofSeconds(10), () -> record[0] = node.journal().usage("samples").stream()
        .filter(r -> r.requestId().equals(requestId)).findFirst().orElseThrow(() -> new AssertionError("not journaled")));
    assertEquals("batchEmbedContents", record[0].api());
    assertEquals("gemini-embedding-001", record[0].model());
    assertTrue(record[0].tokens().input() > 0, "the texts are counted: " + record[0].tokens());
    assertTrue(record[0].estimated(), "Gemini reports no usage for embeddings");
  }
}
