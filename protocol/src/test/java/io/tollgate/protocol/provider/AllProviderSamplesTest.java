package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.provider.anthropic.AnthropicMessagesUsage;
import io.tollgate.protocol.provider.cohere.CohereChatUsage;
import io.tollgate.protocol.provider.gemini.GeminiUsage;
import io.tollgate.protocol.provider.openai.OpenAiChatUsage;
import io.tollgate.protocol.provider.openai.OpenAiEmbeddingsUsage;
import io.tollgate.protocol.provider.openai.OpenAiResponsesUsage;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseSplitter;
import io.tollgate.protocol.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real provider sample in the shared fixture set yields exactly its expected, normalized usage, fed
 * whole and fed in random small pieces, as a network would split it.
 */
class AllProviderSamplesTest {

  static Stream<String> samples() {
    return Fixtures.samples().stream();
  }

  /** Which wire format a sample is in: its provider folder and, for providers with several APIs, its name. */
  static UsageExtractor extractorFor(String sample) {
    String provider = sample.substring(0, sample.indexOf('/'));
    String name = sample.substring(sample.indexOf('/') + 1);
    if (name.startsWith("responses_") || provider.equals("openai-responses")) {
      return new OpenAiResponsesUsage();
    }
    return switch (provider) {
      case "anthropic" -> new AnthropicMessagesUsage();
      case "gemini" -> new GeminiUsage();
      case "cohere" -> new CohereChatUsage();
      case "openai-embeddings" -> new OpenAiEmbeddingsUsage();
      case "xai" -> new OpenAiChatUsage(true);
      default -> new OpenAiChatUsage(false);
    };
  }

  private record Read(Optional<ReportedUsage> usage, Optional<String> error) {}

  private static Read read(String sample, byte[] bytes, Random random, int maxPiece) {
    UsageExtractor extractor = extractorFor(sample);
    if (sample.endsWith(".json")) {
      return new Read(extractor.fromBody(bytes), Optional.empty());
    }
    StreamUsageReader reader = extractor.streamReader(false);
    SseSplitter splitter = new SseSplitter();
    for (byte[] piece : Fixtures.randomPieces(bytes, random, maxPiece)) {
      splitter.feed(piece, reader::onEvent);
    }
    splitter.finish(reader::onEvent);
    return new Read(reader.usage(), reader.streamError());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void yieldsExactlyTheExpectedUsage(String sample) {
    byte[] bytes = Fixtures.bytes(sample);
    JsonNode expect = Fixtures.expectation(sample);
    TokenUsage expected = Fixtures.expectedUsage(expect);
    Random random = new Random(sample.hashCode());
    for (int round = 0; round < (sample.endsWith(".sse") ? 30 : 1); round++) {
      int maxPiece = round == 0 ? bytes.length : 1 + random.nextInt(48);
      Read read = read(sample, bytes, random, maxPiece);
      if (expected == null) {
        assertTrue(read.usage().isEmpty(), sample + " reports no usage, got " + read.usage());
      } else {
        ReportedUsage usage = read.usage().orElseThrow(() -> new AssertionError(sample + ": no usage read"));
        assertEquals(expected, withoutOneHourSplit(usage.tokens()), sample);
        JsonNode model = expect.get("model");
        if (model != null && !model.isNull() && !sample.startsWith("cohere/")) {
          assertEquals(model.asText(), usage.model(), sample + " model");
        }
        JsonNode cost = expect.get("cost_usd");
        if (cost != null && !cost.isNull()) {
          long nanos = new BigDecimal(cost.asText()).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
          assertEquals(nanos, usage.providerCostNanos(), sample + " provider cost");
        }
      }
      boolean errorAfter200 = sample.endsWith(".sse") && (expect.has("error")
          || expect.path("notes").asText("").matches("(?s).*`(event: )?error`.*"));
      assertEquals(errorAfter200, read.error().isPresent(), sample + " in-band error: " + read.error());
    }
  }

  private static TokenUsage withoutOneHourSplit(TokenUsage t) {
    return new TokenUsage(t.input(), t.output(), t.cacheRead(), t.cacheWrite(), t.reasoning());
  }

  /** Where each format's final usage report starts; a stream cut there ends without it. */
  private static final String[] FINAL_USAGE_MARKERS = {
      "event: message_delta", "event: response.completed", "event: message-end", "\"choices\":[]"};

  @ParameterizedTest
  @MethodSource("samples")
  void aStreamCutBeforeItsUsageLeavesSomethingToEstimateFrom(String sample) {
    String all = new String(Fixtures.bytes(sample), java.nio.charset.StandardCharsets.UTF_8);
    int cut = -1;
    for (String marker : FINAL_USAGE_MARKERS) {
      int at = all.lastIndexOf(marker);
      if (at > 0) {
        cut = all.lastIndexOf("\n\n", at) + 2;
        break;
      }
    }
    if (!sample.endsWith(".sse") || cut <= 1 || Fixtures.expectedUsage(Fixtures.expectation(sample)) == null) {
      return; // no separate final usage event in this format or sample (Gemini reports usage in every chunk)
    }
    StreamUsageReader reader = extractorFor(sample).streamReader(false);
    SseSplitter splitter = new SseSplitter();
    splitter.feed(all.substring(0, cut).getBytes(java.nio.charset.StandardCharsets.UTF_8), reader::onEvent);
    assertTrue(reader.usage().isEmpty(), sample + ": cut before its usage");
    assertFalse(reader.streamedText().isEmpty() && reader.partialUsage().isEmpty(),
        sample + ": the text streamed (or the usage reported so far) is there to estimate from");
  }
}
