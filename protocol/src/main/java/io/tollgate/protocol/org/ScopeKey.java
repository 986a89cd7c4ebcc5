package io.tollgate.protocol.org;

/**
 * One value of a scope, {@code team:research}; the value {@value #ANY} stands for every value of the scope
 * without limits of its own. The org's own is {@code org:} with the org's id.
 */
public record ScopeKey(Scope scope, String value, String id) {
  public static final String ANY = "*";

  /** @param id {@code team:research}, as in {@code X-Tollgate-Limit-Scope} and the tracked counters */
  public ScopeKey(Scope scope, String value) {
    this(scope, value, scope.wireName() + ":" + value);
  }

  public static ScopeKey org(String orgId) {
    return new ScopeKey(Scope.ORG, orgId);
  }

  /** The default for this scope. */
  public ScopeKey any() {
    return new ScopeKey(scope, ANY);
  }


  /** The key of an {@link #id()}, or null if it names no scope. */
  public static ScopeKey parse(String id) {
    int colon = id == null ? -1 : id.indexOf(':');
    Scope scope = colon > 0 ? Scope.ofWire(id.substring(0, colon)) : null;
    return scope == null || colon == id.length() - 1 ? null : new ScopeKey(scope, id.substring(colon + 1));
  }

  /** How a refusal names it: {@code team 'research'}, or {@code organization}. */
  public String describe() {
    return scope == Scope.ORG ? "organization" : scope.wireName() + " '" + value + "'";
  }
}
