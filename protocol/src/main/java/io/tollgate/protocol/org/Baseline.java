package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.Saturating;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What one subject (the org, an agent, a key) usually spends and sends per interval, and what it has in the
 * interval in progress. The baseline is an exponentially weighted mean and variance (weight 1/8: about the
 * last eight intervals), in integers: spend in nano-USD, requests in thousandths.
 *
 * @param intervals how many intervals the baseline has learned; it grades nothing before {@link #WARM_UP}
 */
public record Baseline(long intervals, long meanSpend, BigInteger spendVariance, long meanRequests,
    BigInteger requestVariance, long intervalStart, long spend, long requests) implements CborSerializable {
  public static final int WARM_UP = 12;
  /** Fewer requests than this in an interval are never an anomaly of the request rate. */
  public static final long MIN_REQUESTS = 20;
  /** A request rate this many times its baseline is at least {@link AnomalyGrade#HIGH}. */
  public static final long RATE_FACTOR = 5;
  private static final long MILLI = 1000;
  /** Idle intervals learned one by one at most; after so many the baseline is near zero anyway. */
  private static final int MAX_IDLE = 500;
  private static final BigInteger SEVEN = BigInteger.valueOf(7);
  private static final BigInteger EIGHT = BigInteger.valueOf(8);
  private static final BigInteger SIXTY_FOUR = BigInteger.valueOf(64);

  /** A request count kept in thousandths, as printed: {@code "12.5"}. */
  public static String requests(long thousandths) {
    return BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
  }

  public Baseline {
    spendVariance = spendVariance == null ? BigInteger.ZERO : spendVariance;
    requestVariance = requestVariance == null ? BigInteger.ZERO : requestVariance;
  }

  public static Baseline starting(long intervalStart) {
    return new Baseline(0, 0, BigInteger.ZERO, 0, BigInteger.ZERO, intervalStart, 0, 0);
  }

  /** This subject in the interval starting at {@code start}: every interval it has left behind learned. */
  public Baseline at(long start, long intervalMillis) {
    if (start <= intervalStart) {
      return this;
    }
    long closed = Math.max(1, (start - intervalStart) / intervalMillis);
    Baseline b = learn(spend, requests * MILLI);
    for (long i = 1; i < Math.min(closed, MAX_IDLE); i++) {
      b = b.learn(0, 0);
    }
    return new Baseline(b.intervals, b.meanSpend, b.spendVariance, b.meanRequests, b.requestVariance, start, 0, 0);
  }

  /** The interval in progress with one more request's spend. */
  public Baseline plus(long costNanos, long requestCount) {
    return new Baseline(intervals, meanSpend, spendVariance, meanRequests, requestVariance, intervalStart,
        Saturating.add(spend, costNanos), requests + requestCount);
  }

  private Baseline learn(long x, long r) {
    if (intervals == 0) {
      return new Baseline(1, x, BigInteger.ZERO, r, BigInteger.ZERO, intervalStart, 0, 0);
    }
    long ds = x - meanSpend;
    long dr = r - meanRequests;
    return new Baseline(Saturating.add(intervals, 1), meanSpend + ds / 8, weigh(spendVariance, ds),
        meanRequests + dr / 8, weigh(requestVariance, dr), intervalStart, 0, 0);
  }

  /** (1 - 1/8) × (variance + d² / 8). */
  private static BigInteger weigh(BigInteger variance, long d) {
    BigInteger dd = BigInteger.valueOf(d).pow(2);
    return SEVEN.multiply(EIGHT.multiply(variance).add(dd)).divide(SIXTY_FOUR);
  }

  /**
   * The standard deviation grades are measured in: at least half the mean (an interval under twice
   * its baseline is never an anomaly), and at least {@code floor}.
   */
  static long sigma(BigInteger variance, long mean, long floor) {
    return Math.max(Math.max(variance.sqrt().min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(), mean / 2), floor);
  }

  public long spendSigma() {
    return sigma(spendVariance, meanSpend, 1);
  }

  public long requestSigma() {
    return sigma(requestVariance, meanRequests, MILLI);
  }

  /** The grade of the interval's spend, or null: none while learning, or below {@code minSpendNanos}. */
  public AnomalyGrade spendGrade(long minSpendNanos) {
    if (intervals < WARM_UP || spend < minSpendNanos) {
      return null;
    }
    return grade(spend, meanSpend, spendSigma());
  }

  /** The grade of the interval's request count, or null; {@link #RATE_FACTOR} times the mean is at least high. */
  public AnomalyGrade requestGrade() {
    if (intervals < WARM_UP || requests < MIN_REQUESTS) {
      return null;
    }
    long r = Saturating.multiply(requests, MILLI);
    AnomalyGrade reached = grade(r, meanRequests, requestSigma());
    boolean fivefold = r >= Saturating.multiply(RATE_FACTOR, meanRequests);
    return fivefold && (reached == null || reached.compareTo(AnomalyGrade.HIGH) < 0) ? AnomalyGrade.HIGH : reached;
  }

  /** The highest grade whose mark ({@code mean} plus its number of {@code sigma}) {@code value} reaches, or null. */
  private static AnomalyGrade grade(long value, long mean, long sigma) {
    AnomalyGrade reached = null;
    for (AnomalyGrade grade : AnomalyGrade.values()) {
      if (value >= Saturating.add(mean, Saturating.multiply(grade.sigmas(), sigma))) {
        reached = grade;
      }
    }
    return reached;
  }
}
