package io.tollgate.node.access;

import java.util.List;

/**
 * Which admin calls a token's role allows, by method and path: the one place the access model is written down.
 * An operator may do everything. A token of one org never reads or changes anything of another. Viewers and
 * finance read; an org admin also changes its org, but not what the operator decides for it (its plan, markup,
 * name, and whether it is enabled). Tokens are managed by operators, and by org admins for their org. No actor
 * in it: tested directly.
 */
public final class AdminAccess {
  private AdminAccess() {}

  /**
   * Null if {@code who} may make the call, else why not (for a 403).
   *
   * @param path the path's segments after {@code /admin}
   */
  public static String refusal(AdminPrincipal who, String method, List<String> path) {
    if (who.role() == AdminRole.OPERATOR) {
      return null;
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    String first = path.isEmpty() ? "" : path.get(0);
    switch (first) {
      case "whoami":
        return null;
      case "tokens":
        return who.role() == AdminRole.ORG_ADMIN ? null : "Only operators and org admins manage admin tokens.";
      case "orgs":
        return path.size() == 1 ? everyOrg(who, read) : orgCall(who, read, path);
      case "usage":
        return everyOrg(who, read);
      default:
        return "Only operators may " + (read ? "read" : "change") + " /admin/" + first + ".";
    }
  }

  /** Whether {@code who} may issue or revoke a token of {@code role} for {@code orgId}; null if so, else why not. */
  public static String tokenRefusal(AdminPrincipal who, AdminRole role, String orgId) {
    if (who.role() == AdminRole.OPERATOR) {
      return null;
    }
    if (who.role() != AdminRole.ORG_ADMIN) {
      return "Only operators and org admins manage admin tokens.";
    }
    if (role == AdminRole.OPERATOR || orgId == null || !orgId.equals(who.orgId())) {
      return "An org admin manages the tokens of its own org ('" + who.orgId() + "'), operators' excepted.";
    }
    return null;
  }

  /** The calls over every org (the org list, the operator's leaderboard): finance of every org may read them. */
  private static String everyOrg(AdminPrincipal who, boolean read) {
    return read && who.role() == AdminRole.FINANCE && who.orgId() == null ? null
        : "Only operators" + (read ? " and finance of every org read" : " change") + " what spans every org.";
  }

  private static String orgCall(AdminPrincipal who, boolean read, List<String> path) {
    String org = path.get(1);
    if (who.orgId() != null && !who.orgId().equals(org)) {
      return "This token is for the org '" + who.orgId() + "' only.";
    }
    if (read) {
      return null;
    }
    if (who.role() != AdminRole.ORG_ADMIN) {
      return "A " + who.role().label() + " token reads; it changes nothing.";
    }
    boolean operators = path.size() == 2 || path.size() == 3 && (path.get(2).equals("disable") || path.get(2).equals("enable"));
    return operators ? "Only operators change an org's plan, markup, name or whether it is enabled." : null;
  }
}
