package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.HandPricing;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK pointed at the gateway sees what it sees pointed at the provider
 * (the simulator), and every request lands in the quota view and the journal with its exact cost.
 */
class OpenAiSdkThroughGatewayTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static OpenAIClient direct;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC()));
    direct = OpenAIOkHttpClient.builder().baseUrl(simulator.baseUrl()).apiKey("direct").build();
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static OpenAIClient viaGateway(String org) {
    node.admin().createOrg(org, "{\"requests_per_minute\": 100}");
    return OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(node.admin().issueKey(org)).build();
  }

  private static ChatCompletionCreateParams question(long maxTokens) {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addUserMessage("What is the capital of the United Kingdom? Answer in one short sentence, please.")
        .maxCompletionTokens(maxTokens)
        .build();
  }

  @Test
  void aNonStreamedAnswerIsTheProvidersAndCostsExactlyItsTokens() {
    OpenAIClient gateway = viaGateway("sdk-plain");
    ChatCompletionCreateParams params = question(12).toBuilder()
        .putAdditionalHeader("X-Agent-ID", "planner").putAdditionalHeader("X-Session-ID", "s-1").build();

    HttpResponseFor<ChatCompletion> raw = gateway.chat().completions().withRawResponse().create(params);
    ChatCompletion viaGateway = raw.parse();
    var upstreamSaw = simulator.lastRequest().orElseThrow();
    assertEquals("Bearer " + TestNode.UPSTREAM_KEY, upstreamSaw.headers().get("authorization"),
        "the upstream gets the gateway's provider key, never the client's");
    assertNull(upstreamSaw.headers().get("x-agent-id"), "attribution stays in the gateway");
    ChatCompletion viaProvider = direct.chat().completions().create(question(12));

    assertEquals(viaProvider.choices().get(0).message().content(), viaGateway.choices().get(0).message().content());
    assertEquals(viaProvider.model(), viaGateway.model());
    long input = viaGateway.usage().orElseThrow().promptTokens();
    long output = viaGateway.usage().orElseThrow().completionTokens();
    assertEquals(viaProvider.usage().orElseThrow().promptTokens(), input);
    assertEquals(12, output);

    String expectedCost = HandPricing.gpt4oMini(input, 0, output);
    assertEquals(List.of(expectedCost), raw.headers().values("X-Tollgate-Cost-USD"));
    assertFalse(raw.headers().values("X-Request-ID").isEmpty());
    assertEquals(List.of("99"), raw.headers().values("x-ratelimit-remaining-requests"));


    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonNode quota = node.admin().quota("sdk-plain");
      assertEquals(1, quota.at("/usage/monthly_requests").asLong());
      assertEquals(input, quota.at("/usage/monthly_tokens/input").asLong());
      assertEquals(output, quota.at("/usage/monthly_tokens/output").asLong());
      assertEquals(expectedCost, quota.at("/usage/monthly_cost_usd").asText());
      assertEquals(0, quota.at("/usage/in_flight").asLong());
      List<UsageRecord> journaled = node.journal().usage("sdk-plain");
      assertEquals(1, journaled.size());
      UsageRecord r = journaled.get(0);
      assertEquals(input, r.tokens().input());
      assertEquals(output, r.tokens().output());
      assertEquals(Money.parseUsd(expectedCost), r.costNanos());
      assertEquals("gpt-4o-mini-2024-07-18", r.model(), "the upstream's reported model decides the price");
      assertEquals(Outcome.COMPLETED, r.outcome());
      assertEquals(200, r.status());
      assertFalse(r.estimated() || r.unpriced());
      assertEquals("planner", r.attribution().agent());
      assertEquals("s-1", r.attribution().session());
      assertEquals(raw.headers().values("X-Request-ID").get(0), r.requestId());
    });
  }

  @Test
  void aStreamIsTheProvidersAndItsUsageIsCountedEvenThoughTheClientDidNotAskForIt() {
    OpenAIClient gateway = viaGateway("sdk-stream");
    List<String> viaGateway = new ArrayList<>();
    boolean[] usageSeen = {false};
    try (StreamResponse<ChatCompletionChunk> stream = gateway.chat().completions().createStreaming(question(20))) {
      stream.stream().forEach(chunk -> {
        usageSeen[0] |= chunk.usage().isPresent();
        chunk.choices().forEach(c -> c.delta().content().ifPresent(viaGateway::add));
      });
    }
    List<String> viaProvider = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = direct.chat().completions().createStreaming(question(20))) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(viaProvider::add)));
    }
    assertEquals(viaProvider, viaGateway);
    assertFalse(usageSeen[0], "the client did not ask for usage, so it gets none");

    ChatCompletion reference = direct.chat().completions().create(question(20));
    long input = reference.usage().orElseThrow().promptTokens();
    long output = reference.usage().orElseThrow().completionTokens();
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonNode quota = node.admin().quota("sdk-stream");
      assertEquals(input, quota.at("/usage/monthly_tokens/input").asLong());
      assertEquals(output, quota.at("/usage/monthly_tokens/output").asLong());
      assertEquals(HandPricing.gpt4oMini(input, 0, output), quota.at("/usage/monthly_cost_usd").asText());
      UsageRecord r = node.journal().usage("sdk-stream").get(0);
      assertEquals(Outcome.COMPLETED, r.outcome());
      assertFalse(r.estimated(), "usage came from the stream itself");
    });
  }

  @Test
  void aClientThatAsksForStreamUsageGetsItUntouched() {
    OpenAIClient gateway = viaGateway("sdk-stream-usage");
    ChatCompletionCreateParams params = question(8).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<Long> promptTokens = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = gateway.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> chunk.usage().ifPresent(u -> promptTokens.add(u.promptTokens())));
    }
    assertEquals(1, promptTokens.size(), "exactly one usage chunk, as the provider sent it");
    Eventually.await(Duration.ofSeconds(10), () ->
        assertEquals(promptTokens.get(0), node.admin().quota("sdk-stream-usage").at("/usage/monthly_tokens/input").asLong()));
  }

  @Test
  void theBytesOfAStreamAreTheProvidersWithTheForcedUsageRemoved() throws Exception {
    node.admin().createOrg("raw-stream", null);
    String key = node.admin().issueKey("raw-stream");
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    String viaGateway = post(node.baseUrl() + "/openai/chat/completions", key, body);
    assertTrue(simulator.lastRequest().orElseThrow().body().startsWith("{\"stream_options\":{\"include_usage\":true},"),
        "the gateway asked the provider for usage");
    String viaProvider = post(simulator.baseUrl() + "/chat/completions", "direct", body);
    assertEquals(normalize(viaProvider), normalize(viaGateway));
    assertFalse(viaGateway.contains("usage"));
    assertTrue(viaGateway.endsWith("data: [DONE]\n\n"));
  }

  private static String post(String url, String key, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** Two answers differ only in their ids and creation times. */
  private static String normalize(String stream) {
    return stream.replaceAll("\"id\":\"chatcmpl-sim\\d+\"", "\"id\":\"X\"").replaceAll("\"created\":\\d+", "\"created\":0");
  }
}
