package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.Rate;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseSplitter;
import io.tollgate.protocol.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Answers no provider should send, read by every usage reader: counts past any real answer, costs past
 * {@code long}, {@code "usage": null}. Reading them never throws, counts are clamped (a format that adds counts
 * up, as Anthropic's input, stays within a few times the clamp), and pricing them never overflows.
 */
class HostileAnswersTest {
  private static final String[] HUGE = {"1e18", "9223372036854775807", "1e30", "123456789012345678901234567890"};

  /** One body with the usage fields of every format, so each reader finds its own. */
  private static String everyFormat(String n) {
    return """
        {"model": "m", "modelVersion": "m", "choices": [],
         "usage": {"prompt_tokens": N, "completion_tokens": N, "total_tokens": N, "input_tokens": N,
                   "output_tokens": N, "cache_read_input_tokens": N, "cache_creation_input_tokens": N,
                   "prompt_tokens_details": {"cached_tokens": N, "audio_tokens": N},
                   "completion_tokens_details": {"reasoning_tokens": N},
                   "input_tokens_details": {"cached_tokens": N}, "output_tokens_details": {"reasoning_tokens": N},
                   "billed_units": {"input_tokens": N, "output_tokens": N}, "tokens": {"input_tokens": N, "output_tokens": N},
                   "cost": N, "cost_in_usd_ticks": N},
         "usageMetadata": {"promptTokenCount": N, "candidatesTokenCount": N, "thoughtsTokenCount": N,
                   "cachedContentTokenCount": N,
                   "promptTokensDetails": [{"modality": "AUDIO", "tokenCount": N}, {"modality": "AUDIO", "tokenCount": N}]}}
        """.replace("N", n);
  }

  private static List<Endpoint> everyEndpoint() {
    List<Endpoint> endpoints = new ArrayList<>();
    String[][] paths = {{"openai", "/chat/completions"}, {"openai", "/responses"}, {"openai", "/embeddings"},
        {"xai", "/chat/completions"}, {"anthropic", "/v1/messages"}, {"cohere", "/v2/chat"},
        {"gemini", "/v1beta/models/gemini-2.5-flash:generateContent"}};
    for (String[] p : paths) {
      endpoints.add(Providers.get(ProviderId.fromId(p[0]).orElseThrow()).endpoint(p[1]).orElseThrow());
    }
    return endpoints;
  }

  @Test
  void countsPastAnyRealAnswerAreClampedAndPriceWithoutOverflow() {
    ModelPrice dearest = new ModelPrice(Rate.flat(Long.MAX_VALUE / 2), Rate.flat(Long.MAX_VALUE / 2), null, null, null,
        null);
    for (String huge : HUGE) {
      byte[] body = everyFormat(huge).getBytes(StandardCharsets.UTF_8);
      for (Endpoint endpoint : everyEndpoint()) {
        Optional<ReportedUsage> usage = endpoint.usage().fromBody(body);
        assertTrue(usage.isPresent(), endpoint.api() + " read no usage from " + huge);
        TokenUsage t = usage.get().tokens();
        for (long count : new long[] {t.input(), t.output(), t.cacheRead(), t.cacheWrite(), t.reasoningOrZero()}) {
          assertTrue(count >= 0 && count <= 4 * TokenUsage.MAX_COUNT, endpoint.api() + ": " + t);
        }
        assertEquals(Long.MAX_VALUE, Cost.of(t, dearest), endpoint.api() + " " + huge);
      }
    }
  }

  @Test
  void streamsWithAbsurdCountsAreReadToo() {
    for (Endpoint endpoint : everyEndpoint()) {
      StreamUsageReader reader = endpoint.usage().streamReader(false);
      String data = everyFormat(HUGE[1]).replace("\n", " ");
      SseSplitter splitter = new SseSplitter();
      splitter.feed(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), reader::onEvent);
      splitter.finish(reader::onEvent);
      reader.usage().ifPresent(u -> assertTrue(u.tokens().input() <= TokenUsage.MAX_COUNT, endpoint.api()));
    }
  }

  @Test
  void aNullUsageIsNoUsageAndNoError() {
    byte[] body = "{\"model\": \"m\", \"choices\": [], \"usage\": null, \"usageMetadata\": null, \"message\": null}"
        .getBytes(StandardCharsets.UTF_8);
    for (Endpoint endpoint : everyEndpoint()) {
      Optional<ReportedUsage> usage = endpoint.usage().fromBody(body);
      usage.ifPresent(u -> assertEquals(0, u.tokens().total(), endpoint.api() + ": " + u));
      endpoint.usage().completionText(body);
    }
  }

  @Test
  void theMostARequestCanCostIsBoundedNotAnError() {
    ModelPrice price = new ModelPrice(Rate.flat(Long.MAX_VALUE), Rate.flat(Long.MAX_VALUE), null, null, null, null);
    assertEquals(Long.MAX_VALUE, Cost.upperBound(Long.MAX_VALUE, Long.MAX_VALUE, price));
  }
}
