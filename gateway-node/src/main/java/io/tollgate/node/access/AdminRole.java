package io.tollgate.node.access;

import java.util.Locale;
import java.util.Optional;

/** What an admin token may do. */
public enum AdminRole {
  /** Everything, for every org: the bootstrap token's role. */
  OPERATOR,
  /** One org: its keys, limits, policies, webhooks, alerts and prices; read everything of it. */
  ORG_ADMIN,
  /** One org, read only. */
  ORG_VIEWER,
  /** One org, or every org: read only, invoices and exports included. */
  FINANCE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AdminRole> of(String label) {
    for (AdminRole role : values()) {
      if (role.label().equals(label)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** What is wrong with a token of this role for {@code orgId} (null: every org); null if nothing. */
  public String orgProblem(String orgId) {
    return switch (this) {
      case OPERATOR -> orgId == null ? null : "An operator token is for every org: give no 'org'.";
      case ORG_ADMIN, ORG_VIEWER -> orgId != null ? null : "An " + label() + " token is for one org: give its 'org'.";
      case FINANCE -> null;
    };
  }
}
