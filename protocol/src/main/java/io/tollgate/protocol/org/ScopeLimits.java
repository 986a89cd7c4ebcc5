package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The limits set per value of a team, customer, user or agent, by {@link ScopeKey#id()}; a scope's
 * {@code *} value is the default for each of its values without limits of their own.
 */
public record ScopeLimits(Map<String, Limits> byScope) implements CborSerializable {
  public static final ScopeLimits NONE = new ScopeLimits(Map.of());

  public ScopeLimits {
    byScope = byScope == null ? Map.of() : Map.copyOf(byScope);
  }

  /** The value's own limits, else its scope's default, else null (unlimited). */
  public Limits of(ScopeKey key) {
    Limits own = byScope.get(key.id());
    return own != null ? own : byScope.get(key.scope().anyId());
  }

  public ScopeLimits with(ScopeKey key, Limits limits) {
    Map<String, Limits> next = new HashMap<>(byScope);
    next.put(key.id(), limits);
    return new ScopeLimits(next);
  }

  public ScopeLimits without(ScopeKey key) {
    Map<String, Limits> next = new HashMap<>(byScope);
    next.remove(key.id());
    return new ScopeLimits(next);
  }
}
