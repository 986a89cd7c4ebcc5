package io.tollgate.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.pricing.Charge.TokenClass;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostTest {
  private static final ModelPrice GPT_4O_MINI =
      new ModelPrice(Money.parseUsd("0.15"), Money.parseUsd("0.60"), Money.parseUsd("0.075"), null);

  @Test
  void plainInputAndOutput() {
    // 78 * 0.15 + 9 * 0.60 = 11.70 + 5.40 = 17.10 USD per million = 0.0000171 USD = 17,100 nano-USD
    assertEquals(17_100, Cost.of(TokenUsage.of(78, 9), GPT_4O_MINI));
  }

  @Test
  void cachedInputIsBilledAtTheCacheReadPriceOnce() {
    // 4020 prompt tokens of which 4012 cached: 8 * 0.15 + 4012 * 0.075 + 4 * 0.60 = 1.2 + 300.9 + 2.4
    // = 304.5 USD per million tokens = 304,500 nano-USD
    TokenUsage usage = new TokenUsage(4020, 4, 4012, 0, 0L);
    assertEquals(304_500, Cost.of(usage, GPT_4O_MINI));
  }

  @Test
  void cacheWritesUseTheirOwnPriceOrTheInputPrice() {
    ModelPrice withWrite = new ModelPrice(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L);
    // 100 uncached * 3 + 1000 write * 3.75 + 2000 read * 0.30 + 50 out * 15 = 300 + 3750 + 600 + 750 = 5400 per M
    assertEquals(5_400_000, Cost.of(new TokenUsage(3100, 50, 2000, 1000, null), withWrite));
    // without a write price, writes cost the input price: 1100 * 0.15 = 165 per M
    assertEquals(165_000, Cost.of(new TokenUsage(1100, 0, 0, 1000, null), GPT_4O_MINI));
  }

  @Test
  void reasoningIsPartOfOutputAndNotBilledTwice() {
    ModelPrice o3mini = new ModelPrice(1_100_000_000L, 4_400_000_000L, 550_000_000L, null);
    // 7 * 1.1 + 87 * 4.4 = 7.7 + 382.8 = 390.5 per M
    assertEquals(390_500, Cost.of(new TokenUsage(7, 87, 0, 0, 64L), o3mini));
  }

  @Test
  void roundsOnceHalfUpToTheNearestNano() {
    ModelPrice cheap = new ModelPrice(Money.parseUsd("0.0375"), Money.parseUsd("0.0001"), null, null);
    assertEquals(38, Cost.of(TokenUsage.of(1, 0), cheap), "37.5 nano-USD rounds up");
    assertEquals(0, Cost.of(TokenUsage.of(0, 4), cheap), "0.4 nano-USD rounds down");
    assertEquals(1, Cost.of(TokenUsage.of(0, 5), cheap), "0.5 nano-USD rounds up");
    assertEquals(75, Cost.of(TokenUsage.of(2, 0), cheap), "rounded once per request, not per token");
    assertEquals(38, Cost.upperBound(1, 0, cheap));
    assertEquals(1, Cost.upperBound(0, 1, cheap), "the upper bound rounds up");
  }

  @Test
  void hugeCountsDoNotOverflow() {
    ModelPrice dear = new ModelPrice(Money.parseUsd("150"), Money.parseUsd("600"), null, null);
    long tokens = 20_000_000_000L; // 2e10 tokens * 6e11 overflows a long product
    assertEquals(Money.parseUsd("12000000"), Cost.of(TokenUsage.of(0, tokens), dear));
    assertEquals(Money.parseUsd("15000000"), Cost.of(TokenUsage.of(tokens, tokens), dear));
  }

  @Test
  void theUpperBoundIsNeverBelowTheActualCost() {
    Random random = new Random(7);
    ModelPrice withWrite = new ModelPrice(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L);
    for (int i = 0; i < 10_000; i++) {
      long prompt = random.nextInt(200_000);
      long maxOut = random.nextInt(20_000);
      long read = prompt == 0 ? 0 : random.nextLong(prompt + 1);
      long write = prompt - read == 0 ? 0 : random.nextLong(prompt - read + 1);
      TokenUsage actual = new TokenUsage(prompt, random.nextLong(maxOut + 1), read, write, null);
      for (ModelPrice price : new ModelPrice[] {GPT_4O_MINI, withWrite}) {
        assertTrue(Cost.upperBound(prompt, maxOut, price) >= Cost.of(actual, price));
      }
    }
  }

  @Test
  void theChargesAreTheCostsTermsOnePerTokenClassUsed() {
    ModelPrice withWrite = new ModelPrice(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L);
    // 100 uncached, 1000 written, 2000 read; 50 out of which 20 reasoning
    TokenUsage usage = new TokenUsage(3100, 50, 2000, 1000, 20L);
    assertEquals(List.of(new Charge(TokenClass.INPUT, 100, 3_000_000_000L),
        new Charge(TokenClass.CACHE_READ, 2000, 300_000_000L), new Charge(TokenClass.CACHE_WRITE, 1000, 3_750_000_000L),
        new Charge(TokenClass.OUTPUT, 30, 15_000_000_000L), new Charge(TokenClass.REASONING, 20, 15_000_000_000L)),
        Cost.charges(usage, withWrite));
    assertEquals(List.of(), Cost.charges(TokenUsage.ZERO, withWrite), "no class of zero tokens");
  }

  @Test
  void theChargesSumToTheCostBeforeItsOneRounding() {
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      long input = random.nextInt(100_000);
      long read = input == 0 ? 0 : random.nextLong(input + 1);
      TokenUsage usage = new TokenUsage(input, random.nextInt(5_000), read, 0, (long) random.nextInt(100));
      long exact = Cost.charges(usage, GPT_4O_MINI).stream().mapToLong(c -> c.tokens() * c.ratePerMtok()).sum();
      assertEquals((exact + 500_000) / 1_000_000, Cost.of(usage, GPT_4O_MINI));
    }
  }
}
