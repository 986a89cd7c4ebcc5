package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.Saturating;

/** What was counted in one calendar period {@code [start, end)}: requests, tokens and cost in nano-USD. */
public record WindowCount(long start, long end, long requests, long tokens, long costNanos) implements CborSerializable {
  public static final WindowCount NONE = new WindowCount(Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, 0);

  public boolean holds(long epochMillis) {
    return epochMillis >= start && epochMillis < end;
  }

  /**
   * This count with a change made at {@code at}: a change of an earlier period is history and leaves it as
   * it is; one of a later period opens that period from zero.
   */
  WindowCount plus(Periods periods, Window window, long at, long requests, long tokens, long costNanos) {
    if (at < start) {
      return this;
    }
    if (at >= end) {
      return new WindowCount(periods.start(window, at), periods.end(window, at), requests, tokens, costNanos);
    }
    return new WindowCount(start, end, Saturating.add(this.requests, requests), Saturating.add(this.tokens, tokens),
        Saturating.add(this.costNanos, costNanos));
  }
}
