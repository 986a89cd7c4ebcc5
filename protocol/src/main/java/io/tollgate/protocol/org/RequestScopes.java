package io.tollgate.protocol.org;

import java.util.ArrayList;
import java.util.List;

/** Which scope values a request counts in: the org, its key, and the team, customer, user and agent it is for. */
public final class RequestScopes {
  private RequestScopes() {}

  /** The attribution with the key's binds in place of whatever the headers said. */
  public static Attribution bound(ApiKey key, Attribution attribution) {
    Attribution a = attribution == null ? Attribution.NONE : attribution;
    if (key == null || key.binds().isEmpty()) {
      return a;
    }
    return new Attribution(a.agent(), a.session(), or(key.bound(Scope.CUSTOMER), a.customer()),
        or(key.bound(Scope.TEAM), a.team()), or(key.bound(Scope.USER), a.user()), a.tags());
  }

  /** The org first, then the key, team, customer, user and agent the (bound) attribution names. */
  public static List<ScopeKey> of(String orgId, String keyId, Attribution bound) {
    List<ScopeKey> scopes = new ArrayList<>(6);
    scopes.add(ScopeKey.org(orgId));
    if (keyId != null) {
      scopes.add(new ScopeKey(Scope.KEY, keyId));
    }
    add(scopes, Scope.TEAM, bound.team());
    add(scopes, Scope.CUSTOMER, bound.customer());
    add(scopes, Scope.USER, bound.user());
    add(scopes, Scope.AGENT, bound.agent());
    return scopes;
  }

  private static void add(List<ScopeKey> scopes, Scope scope, String value) {
    if (value != null) {
      scopes.add(new ScopeKey(scope, value));
    }
  }

  private static String or(String bound, String header) {
    return bound != null ? bound : header;
  }
}
