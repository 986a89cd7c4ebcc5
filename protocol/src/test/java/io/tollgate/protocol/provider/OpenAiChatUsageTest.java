package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseSplitter;
import io.tollgate.protocol.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiChatUsageTest {
  private final UsageExtractor usage = Providers.get(ProviderId.OPENAI).endpoint("/chat/completions").orElseThrow().usage();

  @ParameterizedTest
  @ValueSource(strings = {
      "chat_nonstream_basic.json",
      "chat_nonstream_cache_read.json",
      "chat_nonstream_docs_default.json",
      "chat_nonstream_reasoning_o3mini.json",
      "error_400_invalid_request.json",
      "error_400_unsupported_parameter.json",
      "error_429_insufficient_quota.json",
      "error_429_rate_limit.json"})
  void bodiesYieldTheExpectedUsage(String sample) {
    String path = "openai-chat/" + sample;
    JsonNode expect = Fixtures.expectation(path);
    Optional<ReportedUsage> reported = usage.fromBody(Fixtures.bytes(path));
    TokenUsage expected = Fixtures.expectedUsage(expect);
    if (expected == null) {
      assertTrue(reported.isEmpty(), "no usage in " + sample);
    } else {
      assertEquals(expected, reported.orElseThrow().tokens());
      assertEquals(expect.get("model").asText(), reported.get().model());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat_stream_include_usage.sse", "chat_stream_tool_call_include_usage.sse"})
  void streamsYieldTheExpectedUsageWhateverTheChunking(String sample) {
    String path = "openai-chat/" + sample;
    byte[] stream = Fixtures.bytes(path);
    JsonNode expect = Fixtures.expectation(path);
    Random random = new Random(sample.hashCode());
    for (int round = 0; round < 50; round++) {
      int maxPiece = round == 0 ? stream.length : 1 + random.nextInt(40);
      StreamUsageReader reader = usage.streamReader(false);
      ByteArrayOutputStream toClient = new ByteArrayOutputStream();
      SseSplitter splitter = new SseSplitter();
      for (byte[] piece : Fixtures.randomPieces(stream, random, maxPiece)) {
        splitter.feed(piece, e -> toClient.writeBytes(reader.onEvent(e)));
      }
      splitter.finish(e -> toClient.writeBytes(reader.onEvent(e)));
      assertEquals(Fixtures.expectedUsage(expect), reader.usage().orElseThrow().tokens());
      assertEquals(expect.get("model").asText(), reader.model());
      assertEquals(new String(stream, StandardCharsets.UTF_8), toClient.toString(StandardCharsets.UTF_8),
          "a client that asked for usage gets the stream unchanged");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat_stream_include_usage.sse", "chat_stream_tool_call_include_usage.sse"})
  void forcedUsageIsKeptFromTheClient(String sample) {
    byte[] stream = Fixtures.bytes("openai-chat/" + sample);
    StreamUsageReader reader = usage.streamReader(true);
    ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    SseSplitter splitter = new SseSplitter();
    splitter.feed(stream, e -> toClient.writeBytes(reader.onEvent(e)));
    splitter.finish(e -> toClient.writeBytes(reader.onEvent(e)));

    String seen = toClient.toString(StandardCharsets.UTF_8);
    assertFalse(seen.contains("\"usage\""), "no usage field at all reaches the client");
    assertTrue(seen.endsWith("data: [DONE]\n\n"));
    String original = new String(stream, StandardCharsets.UTF_8);
    long originalEvents = original.split("\n\n").length;
    assertEquals(originalEvents - 1, seen.split("\n\n").length, "exactly one event, the usage chunk, is dropped");
    assertEquals(original.replace(",\"usage\":null", "").replaceAll("data: \\{[^\n]*\"choices\":\\[\\][^\n]*\n\n", ""), seen);
    assertTrue(reader.usage().isPresent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat_stream_include_usage.sse", "chat_stream_tool_call_include_usage.sse"})
  void aStreamCutBeforeItsUsageKeepsTheTextForAnEstimate(String sample) {
    String original = new String(Fixtures.bytes("openai-chat/" + sample), StandardCharsets.UTF_8);
    String cut = original.substring(0, original.indexOf("\"choices\":[]"));
    cut = cut.substring(0, cut.lastIndexOf("\n\n") + 2);
    StreamUsageReader reader = usage.streamReader(false);
    SseSplitter splitter = new SseSplitter();
    splitter.feed(cut.getBytes(StandardCharsets.UTF_8), reader::onEvent);
    assertTrue(reader.usage().isEmpty());
    String text = reader.streamedText();
    if (sample.contains("tool_call")) {
      assertTrue(text.contains("{"), "tool call arguments count as output: " + text);
    } else {
      assertEquals("The capital of the UK is London.", text);
    }
  }
}
