package io.tollgate.protocol.pricing;

import io.tollgate.protocol.usage.TokenUsage;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Token counts times prices, in exact integer arithmetic. A request's cost is summed in
 * "nano-USD per million" units and divided by one million once, rounding half up, so each request is at
 * most half a nano-USD off and monthly sums are exact sums of those.
 */
public final class Cost {
  private static final long PER_MTOK = 1_000_000L;

  private Cost() {}

  /** The cost of the tokens a request used, in nano-USD. */
  public static long of(TokenUsage tokens, ModelPrice price) {
    Sum sum = new Sum();
    sum.add(tokens.uncachedInput(), price.inputPerMtok());
    sum.add(tokens.cacheRead(), price.cacheReadOrInput());
    sum.add(tokens.cacheWrite(), price.cacheWriteOrInput());
    sum.add(tokens.output(), price.outputPerMtok());
    return sum.nanosRoundedHalfUp();
  }

  /**
   * The most a request can cost given an upper bound on its prompt tokens and its output cap, rounded up:
   * every prompt token is priced at the dearer of the input and cache-write prices.
   */
  public static long upperBound(long promptTokens, long maxOutputTokens, ModelPrice price) {
    Sum sum = new Sum();
    sum.add(promptTokens, Math.max(price.inputPerMtok(), price.cacheWriteOrInput()));
    sum.add(maxOutputTokens, price.outputPerMtok());
    return sum.nanosRoundedUp();
  }

  /** Accumulates tokens × price; stays in {@code long} and moves to BigInteger only if it would overflow. */
  private static final class Sum {
    private long small;
    private BigInteger big;

    void add(long tokens, long pricePerMtok) {
      if (big == null) {
        try {
          small = Math.addExact(small, Math.multiplyExact(tokens, pricePerMtok));
          return;
        } catch (ArithmeticException overflow) {
          big = BigInteger.valueOf(small);
        }
      }
      big = big.add(BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(pricePerMtok)));
    }

    long nanosRoundedHalfUp() {
      if (big == null) {
        return (small + PER_MTOK / 2) / PER_MTOK;
      }
      return new java.math.BigDecimal(big).divide(java.math.BigDecimal.valueOf(PER_MTOK), 0, RoundingMode.HALF_UP)
          .longValueExact();
    }

    long nanosRoundedUp() {
      if (big == null) {
        return Math.floorDiv(small + PER_MTOK - 1, PER_MTOK);
      }
      return new java.math.BigDecimal(big).divide(java.math.BigDecimal.valueOf(PER_MTOK), 0, RoundingMode.CEILING)
          .longValueExact();
    }
  }
}
