package io.tollgate.node.metrics;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each projection trails the journal, in seconds, from what its handler wrote and what its source read.
 * A source that finds nothing new may still have handed on a group not yet written: that is not caught up.
 */
final class LagReadings {
  private final Map<String, Long> newestWritten = new ConcurrentHashMap<>();

  /** After a group is written: the age of its newest event. */
  double written(String projection, long newestWrittenAtMillis, long nowMillis) {
    newestWritten.merge(projection, newestWrittenAtMillis, Math::max);
    return Math.max(0, nowMillis - newestWrittenAtMillis) / 1000.0;
  }

  /** When the source found nothing new: zero if the newest event it read is written, else nothing new to show. */
  OptionalDouble caughtUp(String projection, long newestReadAtMillis) {
    return newestWritten.getOrDefault(projection, 0L) >= newestReadAtMillis ? OptionalDouble.of(0) : OptionalDouble.empty();
  }
}
