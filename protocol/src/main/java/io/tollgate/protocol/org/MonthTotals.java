package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.usage.TokenUsage;

/**
 * What an org used in one calendar month (in its time zone): settled (and abandoned) requests, tokens per class, and the
 * exact cost. Requests count in the month they were admitted in; those the provider refused count in no
 * quota ({@link UsageRecord#served}); {@code abandonedRequests} are those among them whose usage never
 * arrived (their node died mid-request), so {@code requests - abandonedRequests} is the number of served
 * usage records. What those abandoned requests held, {@code abandonedHoldNanos}, is not cost
 * (nobody knows what they used) but stays held against the budget: their real cost was at most that, so the
 * budget holds even if the provider did charge for them. Sums saturate ({@link Saturating}): a journal holding
 * absurd counts must still replay.
 */
public record MonthTotals(
    String period,
    long requests,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long reasoningTokens,
    long costNanos,
    long unpricedRequests,
    long abandonedRequests,
    long abandonedHoldNanos)
    implements CborSerializable {

  public static MonthTotals empty(String period) {
    return new MonthTotals(period, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** These totals if they are for {@code period}, else an empty month: a new month starts from zero. */
  public MonthTotals in(String period) {
    return this.period.equals(period) ? this : empty(period);
  }

  /** Adds one record admitted in {@code recordPeriod}: a later month starts afresh, an earlier one is history. */
  public MonthTotals plus(String recordPeriod, UsageRecord record) {
    int order = recordPeriod.compareTo(period);
    if (order < 0) {
      return this;
    }
    MonthTotals base = order > 0 ? empty(recordPeriod) : this;
    TokenUsage t = record.tokens();
    return new MonthTotals(
        base.period,
        base.requests + (record.served() ? 1 : 0),
        Saturating.add(base.inputTokens, t.input()),
        Saturating.add(base.outputTokens, t.output()),
        Saturating.add(base.cacheReadTokens, t.cacheRead()),
        Saturating.add(base.cacheWriteTokens, t.cacheWrite()),
        Saturating.add(base.reasoningTokens, t.reasoningOrZero()),
        Saturating.add(base.costNanos, record.costNanos()),
        base.unpricedRequests + (record.unpriced() ? 1 : 0),
        base.abandonedRequests,
        base.abandonedHoldNanos);
  }

  /** Counts a request that used the month's quota without a usage record, and keeps its hold. */
  public MonthTotals plusAbandoned(String recordPeriod, long holdNanos) {
    int order = recordPeriod.compareTo(period);
    if (order < 0) {
      return this;
    }
    MonthTotals base = order > 0 ? empty(recordPeriod) : this;
    return new MonthTotals(base.period, base.requests + 1, base.inputTokens, base.outputTokens,
        base.cacheReadTokens, base.cacheWriteTokens, base.reasoningTokens, base.costNanos, base.unpricedRequests,
        base.abandonedRequests + 1, Saturating.add(base.abandonedHoldNanos, holdNanos));
  }

  /** What counts against the monthly budget: the exact cost plus what abandoned requests still hold. */
  public long budgetUsedNanos() {
    return Saturating.add(costNanos, abandonedHoldNanos);
  }
}
