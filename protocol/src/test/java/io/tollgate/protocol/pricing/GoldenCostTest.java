package io.tollgate.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Costs worked out by hand from the bundled catalog (genai-prices, 2026-08-21), one or more per provider:
 * cache writes (5-minute and 1-hour), cache reads, reasoning, long-context tiers, off-peak windows. Each
 * comment is the arithmetic in USD per million tokens; the expected value is that sum in nano-USD (x 1,000).
 */
class GoldenCostTest {
  private static final PricingCatalog catalog = PricingCatalog.bundled();
  private static final long NOON = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();

  private static long cost(String provider, String model, TokenUsage usage, long at) {
    return Cost.of(usage, catalog.resolve(provider, model, at).orElseThrow(() -> new AssertionError(provider + "/" + model)).price());
  }

  private static long cost(String provider, String model, TokenUsage usage) {
    return cost(provider, model, usage, NOON);
  }

  @Test
  void openAi() {
    // 600 x 0.15 + 400 cached x 0.075 + 200 x 0.60 = 90 + 30 + 120 = 240
    assertEquals(240_000, cost("openai", "gpt-4o-mini-2024-07-18", new TokenUsage(1000, 200, 400, 0, 0L)));
    // gpt-5.4 below its 272k tier: 1000 x 2.5 + 100 x 15 = 4000
    assertEquals(4_000_000, cost("openai", "gpt-5.4", TokenUsage.of(1000, 100)));
    // above it, every token at the tier price: 200,000 x 5 + 100,000 cached x 0.5 + 1,000 x 22.5 = 1,072,500
    assertEquals(1_072_500_000, cost("openai", "gpt-5.4", new TokenUsage(300_000, 1000, 100_000, 0, null)));
  }

  @Test
  void audioAndImageTokensAtTheirOwnPrices() {
    // gpt-audio: 1,000 input of which 600 audio, 500 output of which 400 audio:
    // 400 x 2.5 + 600 x 32 + 100 x 10 + 400 x 64 = 1000 + 19200 + 1000 + 25600 = 46,800
    assertEquals(46_800_000, cost("openai", "gpt-audio",
        new TokenUsage(1000, 500, 0, 0, null).withMedia(new TokenUsage.Media(600, 400, 0, 0))));
    // gemini-2.5-flash, audio in (100 cached text): 300 x 0.3 + 100 x 0.03 + 600 audio x 1 + 50 x 2.5
    // = 90 + 3 + 600 + 125 = 818
    assertEquals(818_000, cost("gemini", "gemini-2.5-flash",
        new TokenUsage(1000, 50, 100, 0, null).withMedia(new TokenUsage.Media(600, 0, 0, 0))));
    // gemini-2.5-flash-image making one 1,290-token image: 20 x 0.3 + 10 x 2.5 + 1290 x 30 = 6 + 25 + 38,700
    assertEquals(38_731_000, cost("gemini", "gemini-2.5-flash-image",
        new TokenUsage(20, 1300, 0, 0, null).withMedia(new TokenUsage.Media(0, 0, 0, 1290))));
    // A model without audio prices bills audio as text: gpt-4o-mini, 1000 x 0.15 + 100 x 0.6 = 210
    assertEquals(210_000, cost("openai", "gpt-4o-mini",
        new TokenUsage(1000, 100, 0, 0, null).withMedia(new TokenUsage.Media(500, 50, 0, 0))));
  }

  @Test
  void azureFallsBackToOpenAiPrices() {
    // 1000 x 2.5 + 100 x 10 = 3500
    assertEquals(3_500_000, cost("azure", "gpt-4o-2024-11-20", TokenUsage.of(1000, 100)));
  }

  @Test
  void anthropicCacheWritesFiveMinuteAndOneHour() {
    // 10,000 input = 1,000 uncached + 6,000 written (2,000 of them for 1 h) + 3,000 read; 500 output:
    // 1000 x 3 + 4000 x 3.75 + 2000 x 6 + 3000 x 0.3 + 500 x 15 = 3000 + 15000 + 12000 + 900 + 7500 = 38,400
    assertEquals(38_400_000,
        cost("anthropic", "claude-3-5-sonnet-20241022", new TokenUsage(10_000, 500, 3000, 6000, null, 2000)));
  }

  @Test
  void geminiThoughtsAndLongContext() {
    // flash: 100 x 0.3 + 50 (thoughts included) x 2.5 = 30 + 125 = 155
    assertEquals(155_000, cost("gemini", "gemini-2.5-flash", new TokenUsage(100, 50, 0, 0, 30L)));
    // pro above 200k input: 200,000 x 2.5 + 50,000 cached x 0.25 + 2,000 x 15 = 500,000 + 12,500 + 30,000
    assertEquals(542_500_000, cost("gemini", "gemini-2.5-pro", new TokenUsage(250_000, 2000, 50_000, 0, 1500L)));
  }

  @Test
  void xAiReasoningIsOutput() {
    // 10 x 0.3 + 2 cached x 0.075 + 229 (228 reasoning) x 0.5 = 3 + 0.15 + 114.5 = 117.65
    assertEquals(117_650, cost("xai", "grok-3-mini", new TokenUsage(12, 229, 2, 0, 228L)));
  }

  @Test
  void deepSeekPeakAndOffPeak() {
    TokenUsage usage = new TokenUsage(339, 100, 320, 0, null);
    // 10:00 UTC is peak: 19 x 0.27 + 320 hits x 0.07 + 100 x 1.1 = 5.13 + 22.4 + 110 = 137.53
    assertEquals(137_530, cost("deepseek", "deepseek-chat", usage, Instant.parse("2026-11-22T10:00:00Z").toEpochMilli()));
    // 20:00 UTC is off-peak: 19 x 0.135 + 320 x 0.035 + 100 x 0.55 = 2.565 + 11.2 + 55 = 68.765
    assertEquals(68_765, cost("deepseek", "deepseek-chat", usage, Instant.parse("2026-11-22T20:00:00Z").toEpochMilli()));
  }

  @Test
  void openAiCompatibleHosts() {
    // mistral-small-latest: 1000 x 0.1 + 1000 x 0.3 = 400
    assertEquals(400_000, cost("mistral", "mistral-small-latest", TokenUsage.of(1000, 1000)));
    // groq llama-3.3-70b-versatile: 1,000,000 x 0.59 = 590,000
    assertEquals(590_000_000, cost("groq", "llama-3.3-70b-versatile", TokenUsage.of(1_000_000, 0)));
    // together, names matched case-insensitively: 1000 x 0.88 = 880
    assertEquals(880_000, cost("together", "meta-llama/llama-3.3-70b-instruct-turbo", TokenUsage.of(500, 500)));
    // together's DeepSeek-R1, which genai-prices lacks, at LiteLLM's price: 1000 x 3 + 500 x 7 = 6500
    assertEquals(6_500_000, cost("together", "deepseek-ai/DeepSeek-R1", TokenUsage.of(1000, 500)));
  }

  @Test
  void openRouterPricesAnthropicWithItsCacheRules() {
    // 3329 input = 3 + 3211 read + 115 written; 20 output:
    // 3 x 3 + 3211 x 0.3 + 115 x 3.75 + 20 x 15 = 9 + 963.3 + 431.25 + 300 = 1703.55
    assertEquals(1_703_550, cost("openrouter", "anthropic/claude-sonnet-4.5", new TokenUsage(3329, 20, 3211, 115, 0L)));
  }

  @Test
  void cohereBilledUnits() {
    // 1000 x 2.5 + 100 x 10 = 3500
    assertEquals(3_500_000, cost("cohere", "command-r-plus", TokenUsage.of(1000, 100)));
  }
}
