package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code budget_enforcement: stop_stream}: a stream whose running cost reaches the budget is ended by the
 * gateway in the provider's format, and its spend passes the budget by at most about one chunk.
 */
class StopStreamTest {
  /**
   * $0.0006 at gpt-4o-mini's $0.60 per million output tokens: about 1,000 tokens; the stream sends 5,000, a
   * token a millisecond. A request without max_tokens is held at 512 here.
   */
  private static final long BUDGET_NANOS = 600_000;
  private static final String LONG = "5000";
  private static UpstreamSimulator simulator;
  private static TestNode node;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.providers.anthropic.base-url = \"" + simulator.baseUrl() + "\"\n"
            + "tollgate.requests.default-max-output-tokens = 512"));
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static String org(String id, String enforcement) {
    AdminClient.Reply created = node.admin().call("POST", "/admin/orgs", "{\"id\": \"" + id + "\", \"limits\":"
        + " {\"monthly_budget_usd\": \"0.0006\"}, \"budget_enforcement\": \"" + enforcement + "\"}");
    assertEquals(201, created.status(), created.toString());
    assertEquals(enforcement, created.json().get("budget_enforcement").asText());
    return node.admin().issueKey(id);
  }

  private static UsageRecord journaled(String org) {
    UsageRecord[] found = new UsageRecord[1];
    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> records = node.journal().usage(org);
      assertEquals(1, records.size());
      found[0] = records.get(0);
    });
    return found[0];
  }

  @Test
  void theOpenAiSdkGetsAStreamEndedForLengthAndTheSpendStopsAtTheBudget() {
    String key = org("stopping", "stop_stream");
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key)
        .putHeader("X-Sim-Completion-Tokens", LONG).putHeader("X-Sim-Chunk-Delay-Ms", "1").build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage("Tell me everything.").build(); // no max_tokens: held at the default
    List<String> finishes = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> {
        c.delta().content().ifPresent(text::append);
        c.finishReason().ifPresent(f -> finishes.add(f.asString()));
      }));
    }
    assertEquals(List.of("length"), finishes, "one end, as if the answer had reached its limit");

    UsageRecord record = journaled("stopping");
    assertEquals(Outcome.STOPPED_AT_BUDGET, record.outcome());
    assertTrue(record.tokens().output() < 2_000, "the rest was never streamed: " + record.tokens());
    long oneChunk = 600 * 20; // a few tokens of output at $0.60 per million, generously
    assertTrue(record.costNanos() <= BUDGET_NANOS + oneChunk, "spend " + record.costNanos() + " past the budget by more"
        + " than a chunk");
    assertTrue(record.costNanos() >= BUDGET_NANOS - 2 * oneChunk, "stopped at the budget, not before: " + record.costNanos());
    Eventually.await(Duration.ofSeconds(5), () -> assertEquals(1, simulator.streamsCancelled(),
        "the provider's stream was cancelled"));
  }

  @Test
  void withoutStopStreamTheSameStreamRunsToItsEndPastTheBudget() {
    String key = org("holding", "hold");
    HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}",
        Map.of("X-Sim-Completion-Tokens", LONG));
    assertTrue(response.body().endsWith("data: [DONE]\n\n"));
    UsageRecord record = journaled("holding");
    assertEquals(Outcome.COMPLETED, record.outcome());
    assertEquals(5_000, record.tokens().output());
    assertTrue(record.costNanos() > BUDGET_NANOS, "held at 512 tokens, it used 5,000: " + record.costNanos());
  }

  @Test
  void anAnthropicStreamEndsWithItsOwnEvents() {
    String key = org("stopping-claude", "stop_stream");
    String sample = "anthropic/messages_stream_thinking.sse";
    simulator.addReplay(sample, Fixtures.bytes(sample), 200);
    // Held $0.0017 (its prompt's bytes and max_tokens 20 at Sonnet's prices); the replayed answer costs $0.0044.
    node.admin().call("PUT", "/admin/orgs/stopping-claude/limits", "{\"monthly_budget_usd\": \"0.002\"}");
    HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/anthropic/v1/messages", key,
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        Map.of("X-Sim-Replay", sample, "x-api-key", key, "anthropic-version", "2023-06-01"));
    assertEquals(200, response.statusCode(), response.body());
    String body = response.body();
    assertTrue(body.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), body);
    assertTrue(body.contains("\"stop_reason\":\"max_tokens\""), body);
    assertEquals(Outcome.STOPPED_AT_BUDGET, journaled("stopping-claude").outcome());
  }
}
