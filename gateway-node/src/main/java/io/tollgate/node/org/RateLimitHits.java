package io.tollgate.node.org;

import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.RateLimitHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rate-limit refusals counted per scope value, limit and UTC minute, handed out once their minute is over: one
 * {@code rate_limit.hit} per scope and minute however many requests it refused. Bounded: past
 * {@link #MAX_KEYS} counters a new one is not kept (its refusals are still in the denials).
 */
final class RateLimitHits {
  static final int MAX_KEYS = 1_000;
  private static final long MINUTE = 60_000;

  private record Key(String scope, DenialReason reason, long minute) {}

  private final Map<Key, Long> counts = new HashMap<>();

  void hit(String scope, DenialReason reason, long now) {
    Key key = new Key(scope, reason, now - Math.floorMod(now, MINUTE));
    if (counts.containsKey(key) || counts.size() < MAX_KEYS) {
      counts.merge(key, 1L, Long::sum);
    }
  }

  /** The counts of the minutes that ended by {@code now}, oldest first; they are forgotten here. */
  List<RateLimitHit> takeClosed(long now) {
    if (counts.isEmpty()) {
      return List.of();
    }
    List<RateLimitHit> closed = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Long>> it = counts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Long> e = it.next();
      if (e.getKey().minute() + MINUTE <= now) {
        closed.add(new RateLimitHit(e.getKey().scope(), e.getKey().reason(), e.getValue(), e.getKey().minute()));
        it.remove();
      }
    }
    closed.sort(Comparator.comparingLong(RateLimitHit::minuteStartMillis).thenComparing(RateLimitHit::scope)
        .thenComparing(RateLimitHit::reason));
    return closed;
  }
}
