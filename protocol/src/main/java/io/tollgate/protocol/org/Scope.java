package io.tollgate.protocol.org;

import java.util.Locale;

/** What a limit belongs to: the org, or one value of a key, team, customer, user or agent. */
public enum Scope {
  ORG,
  KEY,
  TEAM,
  CUSTOMER,
  USER,
  AGENT;

  // Computed once: every admission names each of its scopes.
  private final String wireName = name().toLowerCase(Locale.ROOT);
  private final String anyId = wireName + ":" + ScopeKey.ANY;

  /** The name in the admin API and headers: {@code team}. */
  public String wireName() {
    return wireName;
  }

  /** The id of this scope's default value, {@code team:*}. */
  public String anyId() {
    return anyId;
  }

  /** The scope of a wire name, or null. */
  public static Scope ofWire(String name) {
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The scopes whose limits are set per value by {@code PUT /limits/{scope}/{value}} (a key's live on the key). */
  public boolean setPerValue() {
    return this == TEAM || this == CUSTOMER || this == USER || this == AGENT;
  }
}
