package io.tollgate.protocol;

/**
 * Sums of counts and money that clamp at the ends of {@code long} instead of wrapping or throwing. Token
 * counts and costs come from clients and providers: a sum of them must never turn negative (a budget that
 * admits everything) nor throw (an org that cannot replay its own journal).
 */
public final class Saturating {
  private Saturating() {}

  public static long add(long a, long b) {
    long sum = a + b;
    // Overflow only when both have the same sign and the sum's sign differs.
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  public static long add(long a, long b, long c) {
    return add(add(a, b), c);
  }

  /** The product, clamped at the ends of {@code long}. */
  public static long multiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == 0 && low >= 0 || high == -1 && low < 0) {
      return low;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }
}
