package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.testkit.HandPricing;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.protocol.Fixtures;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.PricingCatalog;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.SseSplitter;
import io.tollgate.protocol.usage.TokenUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MeteringTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final long DEFAULT_MAX_OUTPUT = 4096;

  private final TestClock clock = new TestClock(Instant.parse("2026-06-01T12:00:00Z"));
  private final Metering metering = new Metering(new Pricer(PricingCatalog.bundled()), new TokenEstimator(),
      DEFAULT_MAX_OUTPUT, clock);
  private final Admitted admitted = new Admitted(new ReservationId(3, 7), clock.millis() - 5_000, null, OrgPricing.DEFAULT);

  @Test
  void theHoldCoversEveryByteOfThePromptAndTheOutputCapAtTheDearestPrice() {
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    ProxyCall call = TestCalls.call(CHAT, body);
    AdmitRequest ask = metering.admitRequest(call, 12345);

    long bytes = body.getBytes(StandardCharsets.UTF_8).length;
    assertEquals((bytes + 3) / 4 + 100, ask.reservedTokens());
    assertEquals(nanos(HandPricing.gpt4oMini(bytes, 0, 100)), ask.reservedCostNanos());
    assertEquals(new AdmitRequest.HoldBasis("gpt-4o-mini", bytes, 100, false, 150_000_000, 600_000_000), ask.basis(),
        "max_tokens set: the org holds it as asked; the dearest prices per million tokens");
    assertEquals(12345, ask.answerByMillis());
    assertEquals("k1234567", ask.keyId());
  }

  @Test
  void withoutAnOutputCapTheHoldTakesTheNodesDefault() {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    AdmitRequest ask = metering.admitRequest(TestCalls.call(CHAT, body), 0);
    assertEquals(DEFAULT_MAX_OUTPUT, ask.basis().outputTokens());
    assertTrue(ask.basis().outputDefaulted(), "the org may size it from its answers");
  }

  @Test
  void aWholeAnswersReportedUsageIsPricedFromTheCatalog() {
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    Metering.Metered metered = metering.whole(call, admitted, chatAnswer("gpt-4o-mini-2024-07-18", 1000, 400, 200));

    assertEquals(1000, metered.tokens().input());
    assertEquals(200, metered.tokens().output());
    assertEquals(400, metered.tokens().cacheRead());
    assertFalse(metered.estimated());
    assertEquals("gpt-4o-mini-2024-07-18", metered.model());
    assertEquals(nanos(HandPricing.gpt4oMini(1000, 400, 200)), metered.priced().costNanos());
    assertFalse(metered.priced().unpriced());
  }

  @Test
  void theOrgsOwnPriceWinsOverTheCatalogs() {
    var override = new PriceOverride("gpt-4o-mini", new ModelPrice(1_000_000_000L, 2_000_000_000L, null, null), 9);
    Admitted withPrice = new Admitted(admitted.reservation(), admitted.admittedAtMillis(), null,
        OrgPricing.DEFAULT.with(override));
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    Metering.Metered metered = metering.whole(call, withPrice, chatAnswer("gpt-4o-mini", 16, 0, 363));

    assertEquals(16 * 1_000 + 363 * 2_000, metered.priced().costNanos()); // $1 and $2 per million tokens
    assertEquals("org-override@9", metered.priced().priceSource());
  }

  @Test
  void anAnswerWithoutUsageIsCountedByTheGatewayAndSaysSo() {
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    byte[] answer = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Four words of answer.\"}}]}"
        .getBytes(StandardCharsets.UTF_8);
    Metering.Metered metered = metering.whole(call, admitted, answer);

    assertTrue(metered.estimated());
    assertTrue(metered.tokens().input() > 0, "the prompt is counted: " + metered.tokens());
    assertTrue(metered.tokens().output() >= 4, "the answer is counted: " + metered.tokens());
    assertTrue(metered.priced().costNanos() > 0);
    assertEquals("gpt-4o-mini", metered.model());
  }

  @Test
  void aStreamsReportedUsageIsTaken() {
    String sample = "openai-chat/chat_stream_include_usage.sse";
    ProxyCall call = TestCalls.call(CHAT, streamRequest());
    StreamUsageReader reader = read(call, Fixtures.bytes(sample));
    Metering.Metered metered = metering.streamed(call, admitted, reader);

    assertFalse(metered.estimated());
    TokenUsage expected = Fixtures.expectedUsage(Fixtures.expectation(sample));
    assertEquals(expected.input(), metered.tokens().input());
    assertEquals(expected.output(), metered.tokens().output());
    assertEquals(expected.cacheRead(), metered.tokens().cacheRead());
    assertEquals("gpt-4o-mini-2024-07-18", metered.model());
    assertEquals(Outcome.COMPLETED, Metering.outcome(UsageTap.End.COMPLETED, reader));
  }

  @Test
  void aStreamCutBeforeItsUsageIsCountedFromWhatWasStreamed() {
    ProxyCall call = TestCalls.call(CHAT, streamRequest());
    byte[] all = Fixtures.bytes("openai-chat/chat_stream_include_usage.sse");
    StreamUsageReader reader = read(call, Arrays.copyOf(all, all.length / 2));
    Metering.Metered metered = metering.streamed(call, admitted, reader);

    assertTrue(metered.estimated());
    assertTrue(metered.tokens().output() > 0, "streamed text is counted: " + metered.tokens());
    assertEquals("gpt-4o-mini-2024-07-18", metered.model(), "the model the stream named");
    assertEquals(Outcome.UPSTREAM_CUT, Metering.outcome(UsageTap.End.UPSTREAM_FAILED, reader));
    assertEquals(Outcome.CLIENT_DISCONNECTED, Metering.outcome(UsageTap.End.CLIENT_CANCELLED, reader));
  }

  @Test
  void aStreamThatEndsWithAnErrorEventDidNotComplete() {
    ProxyCall call = TestCalls.call(CHAT, streamRequest());
    byte[] error = "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(Outcome.UPSTREAM_ERROR, Metering.outcome(UsageTap.End.COMPLETED, read(call, error)));
  }

  @Test
  void anAnswerThatBrokeOffStillCountsThePrompt() {
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    Metering.Metered cut = metering.cut(call, admitted);
    assertTrue(cut.estimated());
    assertTrue(cut.tokens().input() > 0);
    assertEquals(0, cut.tokens().output());

    Metering.Metered nothing = metering.nothing(call, admitted);
    assertEquals(TokenUsage.ZERO, nothing.tokens());
    assertEquals(0, nothing.priced().costNanos());
    assertFalse(nothing.estimated());
  }

  @Test
  void theRecordCarriesTheHoldAndTheMomentOfAdmission() {
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    Metering.Metered metered = metering.whole(call, admitted, chatAnswer("gpt-4o-mini", 10, 0, 5));
    UsageRecord record = metering.record(call, admitted, Outcome.COMPLETED, 200, metered, 7_400_000, java.util.List.of());

    assertEquals(admitted.reservation(), record.reservation());
    assertEquals(7, record.upstreamMillis(), "the upstream's time, in whole milliseconds");
    assertTrue(record.latencyMillis() >= 0);
    assertEquals(admitted.admittedAtMillis(), record.admittedAtMillis());
    assertEquals(clock.millis(), record.finishedAtMillis());
    assertEquals("openai", record.provider());
    assertEquals("chat", record.api());
    assertEquals(200, record.status());
    assertEquals(metered.priced().costNanos(), record.costNanos());
  }

  @Test
  void anUnmeteredRecordHasNoHoldAndTakesTheProvidersModelAsSafeText() {
    ProxyCall call = TestCalls.call(CHAT, chatRequest("gpt-4o-mini"));
    Metering.Metered metered = metering.whole(call, null, chatAnswer("evil\u001b[31mmodel", 10, 0, 5));
    UsageRecord record = metering.record(call, null, Outcome.COMPLETED, 200, metered, -1, java.util.List.of());

    assertNull(record.reservation());
    assertNull(record.upstreamMillis(), "no answer came from upstream");
    assertEquals(clock.millis(), record.admittedAtMillis());
    assertFalse(record.model().contains("\u001b"), record.model());
    assertTrue(record.unpriced(), "a model the catalog does not know is unpriced");
  }

  private static StreamUsageReader read(ProxyCall call, byte[] sse) {
    StreamUsageReader reader = call.endpoint().usage().streamReader(call.hidesStreamUsage());
    SseSplitter splitter = new SseSplitter();
    splitter.feed(sse, reader::onEvent);
    splitter.finish(reader::onEvent);
    return reader;
  }

  private static String chatRequest(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is two and two?\"}]}";
  }

  private static String streamRequest() {
    return "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is two and two?\"}]}";
  }

  private static byte[] chatAnswer(String model, long prompt, long cached, long completion) {
    return ("{\"model\":\"" + model.replace("\u001b", "\\u001b") + "\",\"choices\":[{\"message\":{\"content\":\"4\"}}],"
        + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}}").getBytes(StandardCharsets.UTF_8);
  }

  private static long nanos(String usd) {
    return new BigDecimal(usd).movePointRight(9).longValueExact();
  }
}
