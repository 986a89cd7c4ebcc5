package io.tollgate.node.access;

/**
 * Who is calling the admin API: the token presented, its role and org.
 *
 * @param tokenId the token's id, or {@code bootstrap} for the node's admin token
 * @param orgId the one org the token may use; null for every org
 */
public record AdminPrincipal(String tokenId, AdminRole role, String orgId, String name) {
  public static final String BOOTSTRAP = "bootstrap";

  public static AdminPrincipal bootstrap() {
    return new AdminPrincipal(BOOTSTRAP, AdminRole.OPERATOR, null, "bootstrap admin token");
  }
}
