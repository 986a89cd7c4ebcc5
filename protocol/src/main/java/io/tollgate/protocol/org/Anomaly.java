package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.money.Money;

/**
 * A subject's interval far above its baseline. Spend is in nano-USD; requests in thousandths of a request
 * (a baseline's mean is rarely whole).
 *
 * @param subject {@code org:<id>}, {@code agent:<name>} or {@code key:<id>}
 * @param measure {@link #SPEND} or {@link #REQUESTS}
 * @param observed the interval's value when the grade was reached
 * @param expected the baseline's mean
 * @param sigma the standard deviation the grade was measured in (at least half the mean)
 * @param blocked the scope blocked for it, or null
 */
public record Anomaly(String subject, String measure, AnomalyGrade grade, long observed, long expected, long sigma,
    long intervalStartMillis, long intervalEndMillis, AnomalyAction action, String blocked, Long blockedUntilMillis)
    implements CborSerializable {
  public static final String SPEND = "spend";
  public static final String REQUESTS = "requests";

  /** One of its values as the API and webhooks print it: a USD string for spend, a request count for requests. */
  public String shown(long value) {
    return SPEND.equals(measure) ? Money.formatUsd(value) : Baseline.requests(value);
  }
}
