package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The providers' official SDKs, pointed at the gateway with nothing changed but the base URL and key, read
 * real provider answers (replayed by the simulator) as they would from the provider, and the gateway
 * journals the usage those answers carry.
 */
class ProviderSdksThroughGatewayTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.providers.anthropic.base-url = \"http://127.0.0.1:" + simulator.port() + "\""));
    node.admin().createOrg("sdks", null);
    key = node.admin().issueKey("sdks");
    for (String sample : List.of("anthropic/messages_nonstream_cache_write_and_read.json",
        "anthropic/messages_stream_thinking.sse", "openai-responses/responses_nonstream_cache_read.json",
        "openai-responses/responses_stream_reasoning.sse", "openai-embeddings/embeddings_two_inputs.json")) {
      simulator.addReplay(sample, Fixtures.bytes(sample), 200);
    }
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  /** The index-th journaled record of this provider (tests run in any order). */
  private static UsageRecord journaled(String provider, int index) {
    UsageRecord[] found = new UsageRecord[1];
    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> records = node.journal().usage("sdks").stream().filter(r -> r.provider().equals(provider)).toList();
      if (records.size() <= index) {
        throw new AssertionError("not journaled yet");
      }
      found[0] = records.get(index);
    });
    return found[0];
  }

  private static TokenUsage expected(String sample) {
    return Fixtures.expectedUsage(Fixtures.expectation(sample));
  }

  private static TokenUsage plain(TokenUsage t) {
    return new TokenUsage(t.input(), t.output(), t.cacheRead(), t.cacheWrite(), t.reasoning());
  }

  @Test
  void anthropicJavaCallsMessagesAndStreamsThroughTheGateway() throws Exception {
    String sample = "anthropic/messages_nonstream_cache_write_and_read.json";
    AnthropicClient bare = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl()).apiKey(key).build();
    Message message = bare.messages().create(MessageCreateParams.builder()
        .model("claude-sonnet-4-5").maxTokens(256).addUserMessage("hi")
        .putAdditionalHeader("X-Sim-Replay", sample).build());
    JsonNode recorded = Json.MAPPER.readTree(Fixtures.bytes(sample));
    assertEquals(recorded.at("/content/0/text").asText(), message.content().get(0).text().orElseThrow().text());
    assertEquals(recorded.at("/usage/cache_read_input_tokens").asLong(),
        message.usage().cacheReadInputTokens().orElseThrow());
    UsageRecord first = journaled("anthropic", 0);
    assertEquals(plain(expected(sample)), plain(first.tokens()));
    assertEquals("messages", first.api());
    assertEquals("anthropic", first.provider());

    String streamed = "anthropic/messages_stream_thinking.sse";
    AnthropicClient prefixed = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/anthropic").apiKey(key).build();
    StringBuilder thinking = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = prefixed.messages().createStreaming(MessageCreateParams.builder()
        .model("claude-sonnet-4-5").maxTokens(2048).addUserMessage("think")
        .putAdditionalHeader("X-Sim-Replay", streamed).build())) {
      stream.stream().forEach(event -> event.contentBlockDelta()
          .flatMap(d -> d.delta().thinking()).ifPresent(t -> thinking.append(t.thinking())));
    }
    assertEquals(false, thinking.isEmpty(), "the SDK parsed the streamed thinking");
    assertEquals(plain(expected(streamed)), plain(journaled("anthropic", 1).tokens()));
  }

  @Test
  void openAiJavaCallsResponsesAndEmbeddingsThroughTheGateway() throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key).build();
    String sample = "openai-responses/responses_nonstream_cache_read.json";
    Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-5.6-sol").input("hi")
        .putAdditionalHeader("X-Sim-Replay", sample).build());
    assertEquals(expected(sample).cacheRead(), response.usage().orElseThrow().inputTokensDetails().cachedTokens());

    String embeddings = "openai-embeddings/embeddings_two_inputs.json";
    CreateEmbeddingResponse embedded = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("hi").putAdditionalHeader("X-Sim-Replay", embeddings).build());
    assertEquals(expected(embeddings).input(), embedded.usage().promptTokens());

    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> records = node.journal().usage("sdks").stream()
          .filter(r -> r.provider().equals("openai")).toList();
      assertEquals(2, records.size());
      UsageRecord responses = records.stream().filter(r -> r.api().equals("responses")).findFirst().orElseThrow();
      UsageRecord embedding = records.stream().filter(r -> r.api().equals("embeddings")).findFirst().orElseThrow();
      assertEquals(plain(expected(sample)), plain(responses.tokens()));
      assertEquals(plain(expected(embeddings)), plain(embedding.tokens()));
      assertEquals(20_000_000L * expected(embeddings).input() / 1_000_000L, embedding.costNanos(),
          "text-embedding-3-small at $0.02 per million input tokens");
    });
  }
}
