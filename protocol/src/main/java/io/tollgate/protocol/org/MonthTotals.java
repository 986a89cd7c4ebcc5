package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.usage.TokenUsage;

/**
 * What an org used in one UTC calendar month: settled (and abandoned) requests, tokens per class, and the
 * exact cost. Requests count in the month they were admitted in; {@code abandonedRequests} are those among
 * them whose usage never arrived (their node died mid-request), so {@code requests - abandonedRequests} is
 * the number of usage records.
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
    long abandonedRequests)
    implements CborSerializable {

  public static MonthTotals empty(String period) {
    return new MonthTotals(period, 0, 0, 0, 0, 0, 0, 0, 0, 0);
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
        base.requests + 1,
        base.inputTokens + t.input(),
        base.outputTokens + t.output(),
        base.cacheReadTokens + t.cacheRead(),
        base.cacheWriteTokens + t.cacheWrite(),
        base.reasoningTokens + t.reasoningOrZero(),
        Math.addExact(base.costNanos, record.costNanos()),
        base.unpricedRequests + (record.unpriced() ? 1 : 0),
        base.abandonedRequests);
  }

  /** Counts requests that used the month's quota without a usage record (abandoned reservations). */
  public MonthTotals plusRequests(String recordPeriod, long count) {
    int order = recordPeriod.compareTo(period);
    if (order < 0) {
      return this;
    }
    MonthTotals base = order > 0 ? empty(recordPeriod) : this;
    return new MonthTotals(base.period, base.requests + count, base.inputTokens, base.outputTokens,
        base.cacheReadTokens, base.cacheWriteTokens, base.reasoningTokens, base.costNanos, base.unpricedRequests,
        base.abandonedRequests + count);
  }
}
