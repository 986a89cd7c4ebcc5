package io.tollgate.protocol.money;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Money is an exact count of nano-USD (1e-9 USD) held in a {@code long}. This class converts it to and
 * from the decimal strings used on the wire ({@code "12.345678901"}); it never goes through floating point.
 */
public final class Money {
  public static final long NANOS_PER_USD = 1_000_000_000L;
  private static final int SCALE = 9;

  private Money() {}

  /** Formats nano-USD as a USD decimal string with all nine decimals, e.g. {@code 1234000 -> "0.001234000"}. */
  public static String formatUsd(long nanos) {
    return BigDecimal.valueOf(nanos, SCALE).toPlainString();
  }

  /**
   * Formats nano-USD for a person to read, still exact: cents always, further decimals only where they are
   * not zero ({@code "100.00"}, {@code "0.0012"}, {@code "1.000000001"}).
   */
  public static String displayUsd(long nanos) {
    BigDecimal exact = BigDecimal.valueOf(nanos, SCALE).stripTrailingZeros();
    return (exact.scale() < 2 ? exact.setScale(2) : exact).toPlainString();
  }

  /**
   * Parses a USD decimal string ({@code "250"}, {@code "250.00"}, {@code "0.000000001"}) into nano-USD.
   *
   * @throws IllegalArgumentException if it is not a plain decimal, has more than nine decimals, or does not fit
   */
  public static long parseUsd(String usd) {
    if (usd == null || usd.isBlank()) {
      throw new IllegalArgumentException("amount is empty");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(usd.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal amount: " + usd);
    }
    if (value.scale() > SCALE && value.stripTrailingZeros().scale() > SCALE) {
      throw new IllegalArgumentException("more than 9 decimals (smaller than one nano-USD): " + usd);
    }
    BigInteger nanos = value.movePointRight(SCALE).toBigIntegerExact();
    if (nanos.bitLength() > 63) {
      throw new IllegalArgumentException("amount too large: " + usd);
    }
    return nanos.longValue();
  }
}
