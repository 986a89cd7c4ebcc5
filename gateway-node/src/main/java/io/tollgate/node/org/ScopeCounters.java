package io.tollgate.node.org;

import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.Periods;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.ScopeUsage;
import io.tollgate.protocol.org.ScopeTallies;
import io.tollgate.protocol.org.Tally;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.org.WindowCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live tallies of the org and each scope value it tracks: what the journal says, plus what was settled
 * since, plus what requests in flight hold. A hold counts its request, its estimated tokens and the most it
 * can cost; settling replaces the estimate with what it used, in the periods it was admitted in.
 *
 * <p>Invariant: at most {@code cap} scope values besides the org are tracked; a value none of whose periods
 * is current is dropped by {@link #prune}.
 */
final class ScopeCounters {
  /** A scope value a request counts in, and the model patterns of its limits the request's model matches. */
  record Counted(String scope, List<String> patterns) {}

  private final Map<String, Tally> live;
  private final int cap;

  ScopeCounters(ScopeTallies recovered, int cap) {
    this.live = new HashMap<>(recovered.byScope());
    this.cap = cap;
  }

  Tally of(String scope) {
    return live.getOrDefault(scope, Tally.EMPTY);
  }

  boolean tracks(String scope) {
    return live.containsKey(scope);
  }

  /** True if one more scope value can be tracked. */
  boolean hasRoom() {
    return live.size() < cap + 1; // the org's own tally takes one more
  }

  /**
   * One scope value's usage ({@code team:research}) or every tracked value's of a scope ({@code team}), with
   * when each window resets: the org's periods in progress, else the calendar's next.
   */
  ScopeUsage usage(String scope, String orgScope, OrgBook book, Periods periods, long now) {
    List<ScopeUsage.Value> values = new ArrayList<>();
    ScopeKey one = ScopeKey.parse(scope);
    if (one != null) {
      values.add(new ScopeUsage.Value(one.id(), book.limitsOf(one), of(one.id())));
    } else {
      String prefix = scope + ":";
      live.forEach((id, tally) -> {
        if (id.startsWith(prefix) && !tally.expired(now)) {
          values.add(new ScopeUsage.Value(id, book.limitsOf(ScopeKey.parse(id)), tally));
        }
      });
      values.sort(Comparator.comparing(ScopeUsage.Value::scope));
    }
    Tally org = of(orgScope);
    Map<String, Long> resets = new LinkedHashMap<>();
    for (Window w : Window.values()) {
      WindowCount current = org.at(w, now);
      resets.put(w.name().toLowerCase(Locale.ROOT), current.holds(now) ? current.end() : periods.end(w, now));
    }
    return new ScopeUsage(book.exists() ? book.profile().zoneName() : "UTC", now, resets, values);
  }

  int size() {
    return live.size();
  }

  /** A change made at {@code at} (the request's admission), counted in every scope value it names. */
  void count(List<Counted> counted, Periods periods, long at, long requests, long tokens, long costNanos) {
    for (Counted c : counted) {
      Tally tally = live.getOrDefault(c.scope(), Tally.EMPTY);
      live.put(c.scope(), tally.plus(periods, at, requests, tokens, costNanos, c.patterns()));
    }
  }

  /** Drops what no current period counts any more; a value in flight keeps its month. */
  int prune(long now) {
    int before = live.size();
    live.values().removeIf(tally -> tally.expired(now));
    return before - live.size();
  }
}
