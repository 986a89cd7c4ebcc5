package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * An org's live counters against its limits. Monthly figures include settled requests not yet journaled
 * and, for requests, those in flight; {@code reservedCostNanos} is what in-flight requests hold.
 */
public record QuotaView(
    String orgId,
    boolean exists,
    Limits limits,
    MonthTotals month,
    long requestsThisMinute,
    long tokensThisMinute,
    int inFlight,
    long reservedCostNanos,
    ScopeUsage windows)
    implements CborSerializable {

  /** @param windows the org's own tally per window and when each resets; null leaves them out */
  public QuotaView(String orgId, boolean exists, Limits limits, MonthTotals month, long requestsThisMinute,
      long tokensThisMinute, int inFlight, long reservedCostNanos) {
    this(orgId, exists, limits, month, requestsThisMinute, tokensThisMinute, inFlight, reservedCostNanos, null);
  }

  public long monthlyRequests() {
    return month.requests() + inFlight;
  }

  public Long remainingRequestsThisMinute() {
    return remaining(limits.requestsPerMinute(), requestsThisMinute);
  }

  public Long remainingTokensThisMinute() {
    return remaining(limits.tokensPerMinute(), tokensThisMinute);
  }

  public Long remainingMonthlyRequests() {
    return remaining(limits.monthlyRequests(), monthlyRequests());
  }

  public Long remainingBudgetNanos() {
    return remaining(limits.monthlyBudgetNanos(), month.budgetUsedNanos() + reservedCostNanos);
  }

  private static Long remaining(Long limit, long used) {
    return limit == null ? null : Math.max(0, limit - used);
  }
}
