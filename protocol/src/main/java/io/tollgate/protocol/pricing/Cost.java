package io.tollgate.protocol.pricing;

import io.tollgate.protocol.pricing.Charge.TokenClass;
import io.tollgate.protocol.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Token counts times prices, in exact integer arithmetic. A request's cost is summed in
 * "nano-USD per million" units and divided by one million once, rounding half up, so each request is at
 * most half a nano-USD off and monthly sums are exact sums of those. Tiers are chosen by the request's
 * input tokens (cache reads and writes included).
 */
public final class Cost {
  private static final long PER_MTOK = 1_000_000L;

  private Cost() {}

  /** The cost of the tokens a request used, in nano-USD. */
  public static long of(TokenUsage tokens, ModelPrice price) {
    return of(charges(tokens, price));
  }

  /** The cost of a request's charges, in nano-USD: summed, then rounded half up once. */
  public static long of(List<Charge> charges) {
    Sum sum = new Sum();
    for (Charge charge : charges) {
      sum.add(charge.tokens(), charge.ratePerMtok());
    }
    return sum.nanosRoundedHalfUp();
  }

  /**
   * The terms of a request's cost: one per token class it used (none of zero tokens), in a fixed order, then its
   * pieces (images, seconds, characters) if it used any and the price has a rate for them.
   */
  public static List<Charge> charges(TokenUsage tokens, Units units, ModelPrice price) {
    List<Charge> charges = charges(tokens, price);
    Rate rate = units == null ? null : price.perPiece(units.unit());
    if (rate != null && units.quantity() > 0) {
      charges.add(new Charge(units.unit(), units.quantity(), rate.at(tokens.input())));
    }
    return charges;
  }

  /** The terms of a request's cost, one per token class it used (none of zero tokens), in a fixed order. */
  public static List<Charge> charges(TokenUsage tokens, ModelPrice price) {
    long inputTokens = tokens.input();
    TokenUsage.Media media = tokens.media();
    // Audio and image tokens are carved out of the uncached input and of the non-reasoning output, never
    // below zero, so no token is billed twice whatever a provider's counts say.
    long uncached = tokens.uncachedInput();
    long audioIn = Math.min(media.audioInput(), uncached);
    long imageIn = Math.min(media.imageInput(), uncached - audioIn);
    long reasoning = Math.min(tokens.reasoningOrZero(), tokens.output());
    long visibleOutput = tokens.output() - reasoning;
    long audioOut = Math.min(media.audioOutput(), visibleOutput);
    long imageOut = Math.min(media.imageOutput(), visibleOutput - audioOut);
    long fiveMinuteWrites = tokens.cacheWrite() - tokens.cacheWrite1h();
    List<Charge> charges = new ArrayList<>(4);
    add(charges, TokenClass.INPUT, uncached - audioIn - imageIn, price.input().at(inputTokens));
    add(charges, TokenClass.AUDIO_INPUT, audioIn, price.audioInputOrInput().at(inputTokens));
    add(charges, TokenClass.IMAGE_INPUT, imageIn, price.imageInputOrInput().at(inputTokens));
    add(charges, TokenClass.CACHE_READ, tokens.cacheRead(), price.cacheReadOrInput().at(inputTokens));
    add(charges, TokenClass.CACHE_WRITE, fiveMinuteWrites, price.cacheWriteOrInput().at(inputTokens));
    add(charges, TokenClass.CACHE_WRITE_1H, tokens.cacheWrite1h(), price.cacheWrite1hOrWrite().at(inputTokens));
    add(charges, TokenClass.OUTPUT, visibleOutput - audioOut - imageOut, price.output().at(inputTokens));
    add(charges, TokenClass.AUDIO_OUTPUT, audioOut, price.audioOutputOrOutput().at(inputTokens));
    add(charges, TokenClass.IMAGE_OUTPUT, imageOut, price.imageOutputOrOutput().at(inputTokens));
    add(charges, TokenClass.REASONING, reasoning, price.reasoningOrOutput().at(inputTokens));
    return charges;
  }

  private static void add(List<Charge> charges, TokenClass tokenClass, long tokens, long ratePerMtok) {
    if (tokens > 0) {
      charges.add(new Charge(tokenClass, tokens, ratePerMtok));
    }
  }

  /**
   * The most a request can cost given an upper bound on its prompt tokens and its output cap, rounded up:
   * every prompt token at the dearest input-side price of any tier, every output token at the dearest
   * output-side price.
   */
  public static long upperBound(long promptTokens, long maxOutputTokens, ModelPrice price) {
    return upperBound(promptTokens, maxOutputTokens, dearestInput(price), dearestOutput(price));
  }

  /** The most {@code units} can cost at {@code price}, rounded up; 0 when the price has no rate for them. */
  public static long upperBound(Units units, ModelPrice price) {
    Rate rate = price.perPiece(units.unit());
    if (rate == null) {
      return 0;
    }
    Sum sum = new Sum();
    sum.add(units.quantity(), rate.max());
    return sum.nanosRoundedUp();
  }

  /** Terms at the batch APIs' rate: half of each (OpenAI's and Anthropic's batches cost 50 % of the same calls). */
  public static List<Charge> atBatchRate(List<Charge> charges) {
    List<Charge> halved = new ArrayList<>(charges.size());
    for (Charge c : charges) {
      halved.add(new Charge(c.tokenClass(), c.tokens(), c.ratePerMtok() / 2 + c.ratePerMtok() % 2));
    }
    return halved;
  }

  /** The dearest input-side price of any tier, nano-USD per million tokens. */
  public static long dearestInput(ModelPrice price) {
    return max(price.input(), price.cacheWriteOrInput(), price.cacheWrite1hOrWrite(), price.audioInputOrInput(),
        price.imageInputOrInput());
  }

  /** The dearest output-side price of any tier, nano-USD per million tokens. */
  public static long dearestOutput(ModelPrice price) {
    return max(price.output(), price.reasoningOrOutput(), price.audioOutputOrOutput(), price.imageOutputOrOutput());
  }

  /** {@link #upperBound(long, long, ModelPrice)} from the dearest prices (per million tokens) alone. */
  public static long upperBound(long promptTokens, long maxOutputTokens, long dearestIn, long dearestOut) {
    Sum sum = new Sum();
    sum.add(promptTokens, dearestIn);
    sum.add(maxOutputTokens, dearestOut);
    return sum.nanosRoundedUp();
  }

  private static long max(Rate... rates) {
    long max = 0;
    for (Rate rate : rates) {
      max = Math.max(max, rate.max());
    }
    return max;
  }

  /** Accumulates tokens × price; stays in {@code long} and moves to BigInteger only if it would overflow. */
  private static final class Sum {
    private long small;
    private BigInteger big;

    void add(long tokens, long pricePerMtok) {
      if (tokens <= 0) {
        return;
      }
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
      return big == null ? (small + PER_MTOK / 2) / PER_MTOK : divide(RoundingMode.HALF_UP);
    }

    long nanosRoundedUp() {
      return big == null ? Math.floorDiv(small + PER_MTOK - 1, PER_MTOK) : divide(RoundingMode.CEILING);
    }

    /** Past {@code long}, the cost saturates: a price for absurd counts is refused or capped, never an exception. */
    private long divide(RoundingMode mode) {
      BigInteger nanos = new BigDecimal(big).divide(BigDecimal.valueOf(PER_MTOK), 0, mode).toBigIntegerExact();
      return nanos.bitLength() > 63 ? Long.MAX_VALUE : nanos.longValue();
    }
  }
}
