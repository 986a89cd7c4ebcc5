package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tallies of the org and of every scope value seen in the current periods, by {@link ScopeKey#id()}, as
 * the journal says. At most {@code cap} scope values are tracked besides the org: a value first seen when
 * the cap is reached is not counted here (the org refuses such a value where a limit applies to it, so no
 * limit is passed unseen). A value none of whose periods is current any more is dropped.
 */
public record ScopeTallies(Map<String, Tally> byScope) implements CborSerializable {
  public static final ScopeTallies EMPTY = new ScopeTallies(Map.of());
  public static final int DEFAULT_CAP = 10_000;

  /** One change of one scope value's tally, made at {@code at} (the request's admission time). */
  public record Count(String scope, List<String> patterns, long at, long requests, long tokens, long costNanos) {}

  public ScopeTallies {
    byScope = byScope == null ? Map.of() : Map.copyOf(byScope);
  }

  public Tally of(String scopeId) {
    return byScope.getOrDefault(scopeId, Tally.EMPTY);
  }

  public int size() {
    return byScope.size();
  }

  /** These tallies with a batch of changes made by {@code now}: one copy per batch, dropping what expired. */
  public ScopeTallies plus(List<Count> counts, Periods periods, long now, int cap) {
    if (counts.isEmpty()) {
      return this;
    }
    Map<String, Tally> next = new HashMap<>(byScope.size() + 8);
    byScope.forEach((scope, tally) -> {
      if (!tally.expired(now)) {
        next.put(scope, tally);
      }
    });
    for (Count c : counts) {
      Tally tally = next.get(c.scope());
      if (tally == null) {
        if (next.size() >= cap + 1 && !c.scope().startsWith("org:")) {
          continue; // at the cap: not tracked (the org counts one slot of its own)
        }
        tally = Tally.EMPTY;
      }
      next.put(c.scope(), tally.plus(periods, c.at(), c.requests(), c.tokens(), c.costNanos(), c.patterns()));
    }
    return new ScopeTallies(next);
  }
}
