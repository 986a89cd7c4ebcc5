package io.tollgate.protocol.org;

import java.math.BigInteger;

/**
 * Where a budget's period is heading at the rate of the period so far: the spend at its end, and when the
 * budget runs out ({@code null}: not before the period ends; the time itself once it has run out).
 */
public record Forecast(long projectedNanos, Long runsOutAtMillis) {
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  public static Forecast of(long spentNanos, long budgetNanos, long periodStart, long periodEnd, long now) {
    long elapsed = Math.max(1, Math.min(now, periodEnd) - periodStart);
    BigInteger spent = BigInteger.valueOf(Math.max(0, spentNanos));
    long projected = spent.multiply(BigInteger.valueOf(periodEnd - periodStart)).divide(BigInteger.valueOf(elapsed))
        .min(MAX).longValue();
    Long runsOut = null;
    if (spentNanos >= budgetNanos) {
      runsOut = Math.min(now, periodEnd);
    } else if (spentNanos > 0) {
      long at = BigInteger.valueOf(periodStart).add(BigInteger.valueOf(elapsed).multiply(BigInteger.valueOf(budgetNanos))
          .divide(spent)).min(MAX).longValue();
      runsOut = at < periodEnd ? at : null;
    }
    return new Forecast(projected, runsOut);
  }
}
