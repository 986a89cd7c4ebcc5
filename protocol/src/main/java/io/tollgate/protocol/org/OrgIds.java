package io.tollgate.protocol.org;

import java.util.regex.Pattern;

/** Org ids are short lowercase slugs; they appear in keys, URLs and the journal's persistence ids. */
public final class OrgIds {
  private static final String PERSISTENCE_PREFIX = "org|";
  private static final Pattern ORG_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private OrgIds() {}

  public static boolean isValid(String id) {
    return id != null && ORG_ID.matcher(id).matches();
  }

  /** The journal's persistence id of an org's ledger, {@code org|<orgId>}: written by the node, read by projections. */
  public static String persistenceId(String orgId) {
    return PERSISTENCE_PREFIX + orgId;
  }

  /** The org id in a ledger's persistence id. */
  public static String ofPersistenceId(String persistenceId) {
    return persistenceId.startsWith(PERSISTENCE_PREFIX) ? persistenceId.substring(PERSISTENCE_PREFIX.length()) : persistenceId;
  }
}
