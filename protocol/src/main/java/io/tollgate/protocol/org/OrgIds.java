package io.tollgate.protocol.org;

import java.util.regex.Pattern;

/** Org ids are short lowercase slugs; they appear in keys, URLs and persistence ids. */
public final class OrgIds {
  private static final Pattern ORG_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private OrgIds() {}

  public static boolean isValid(String id) {
    return id != null && ORG_ID.matcher(id).matches();
  }
}
