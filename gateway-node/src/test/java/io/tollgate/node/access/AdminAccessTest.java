package io.tollgate.node.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access model, decided without HTTP: which role may make which admin call. */
class AdminAccessTest {
  private static final AdminPrincipal OPERATOR = AdminPrincipal.bootstrap();
  private static final AdminPrincipal ADMIN_A = new AdminPrincipal("t1", AdminRole.ORG_ADMIN, "a", "admin of a");
  private static final AdminPrincipal VIEWER_A = new AdminPrincipal("t2", AdminRole.ORG_VIEWER, "a", "viewer of a");
  private static final AdminPrincipal FINANCE_A = new AdminPrincipal("t3", AdminRole.FINANCE, "a", "finance of a");
  private static final AdminPrincipal FINANCE_ALL = new AdminPrincipal("t4", AdminRole.FINANCE, null, "finance");

  private static boolean allowed(AdminPrincipal who, String method, String path) {
    return AdminAccess.refusal(who, method, Arrays.asList(path.split("/"))) == null;
  }

  @Test
  void anOperatorMayDoEverything() {
    for (String path : List.of("orgs", "orgs/b/keys", "plans/p", "upstreams", "tokens", "usage/leaderboard")) {
      assertNull(AdminAccess.refusal(OPERATOR, "DELETE", Arrays.asList(path.split("/"))), path);
    }
  }

  @Test
  void aTokenOfOneOrgNeverTouchesAnother() {
    for (AdminPrincipal who : List.of(ADMIN_A, VIEWER_A, FINANCE_A)) {
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
        for (String path : List.of("orgs/b", "orgs/b/keys", "orgs/b/requests/r1", "orgs/b/invoice", "orgs/ab/quota")) {
          assertEquals(false, allowed(who, method, path), who.role() + " " + method + " " + path);
        }
      }
    }
  }

  @Test
  void viewersAndFinanceReadTheirOrgAndChangeNothing() {
    for (AdminPrincipal who : List.of(VIEWER_A, FINANCE_A)) {
      assertEquals(true, allowed(who, "GET", "orgs/a/requests"));
      assertEquals(true, allowed(who, "GET", "orgs/a/export/focus"));
      assertEquals(false, allowed(who, "POST", "orgs/a/keys"));
      assertEquals(false, allowed(who, "PUT", "orgs/a/limits"));
      assertEquals(false, allowed(who, "DELETE", "orgs/a/keys/k1"));
      assertEquals(false, allowed(who, "GET", "tokens"));
    }
  }

  @Test
  void anOrgAdminChangesItsOrgButNotWhatTheOperatorDecides() {
    assertEquals(true, allowed(ADMIN_A, "POST", "orgs/a/keys"));
    assertEquals(true, allowed(ADMIN_A, "PUT", "orgs/a/limits/team/research"));
    assertEquals(true, allowed(ADMIN_A, "PUT", "orgs/a/webhooks/w1"));
    assertEquals(true, allowed(ADMIN_A, "PUT", "orgs/a/pricing/gpt-4o"));
    assertEquals(true, allowed(ADMIN_A, "GET", "tokens"));
    assertEquals(false, allowed(ADMIN_A, "PATCH", "orgs/a"), "plan, markup, name");
    assertEquals(false, allowed(ADMIN_A, "POST", "orgs/a/disable"));
    assertEquals(false, allowed(ADMIN_A, "POST", "orgs/a/enable"));
    assertEquals(false, allowed(ADMIN_A, "POST", "orgs"));
    assertEquals(false, allowed(ADMIN_A, "GET", "orgs"));
    assertEquals(false, allowed(ADMIN_A, "PUT", "plans/pro"));
    assertEquals(false, allowed(ADMIN_A, "GET", "upstreams"));
  }

  @Test
  void financeOfEveryOrgReadsEveryOrgAndTheOperatorsLeaderboard() {
    assertEquals(true, allowed(FINANCE_ALL, "GET", "orgs"));
    assertEquals(true, allowed(FINANCE_ALL, "GET", "orgs/b/invoice"));
    assertEquals(true, allowed(FINANCE_ALL, "GET", "usage/leaderboard"));
    assertEquals(false, allowed(FINANCE_ALL, "POST", "orgs"));
    assertEquals(false, allowed(FINANCE_ALL, "PUT", "orgs/b/limits"));
    assertEquals(false, allowed(FINANCE_A, "GET", "usage/leaderboard"), "an org's finance sees its org only");
  }

  @Test
  void tokensAreIssuedByOperatorsAndByOrgAdminsForTheirOrg() {
    assertNull(AdminAccess.tokenRefusal(OPERATOR, AdminRole.OPERATOR, null));
    assertNull(AdminAccess.tokenRefusal(ADMIN_A, AdminRole.ORG_VIEWER, "a"));
    assertNull(AdminAccess.tokenRefusal(ADMIN_A, AdminRole.FINANCE, "a"));
    assertNotNull(AdminAccess.tokenRefusal(ADMIN_A, AdminRole.ORG_VIEWER, "b"));
    assertNotNull(AdminAccess.tokenRefusal(ADMIN_A, AdminRole.FINANCE, null), "finance of every org is the operator's");
    assertNotNull(AdminAccess.tokenRefusal(ADMIN_A, AdminRole.OPERATOR, null));
    assertNotNull(AdminAccess.tokenRefusal(VIEWER_A, AdminRole.ORG_VIEWER, "a"));
  }

  @Test
  void eachRoleNamesTheOrgItNeeds() {
    assertNull(AdminRole.OPERATOR.orgProblem(null));
    assertNotNull(AdminRole.OPERATOR.orgProblem("a"));
    assertNotNull(AdminRole.ORG_ADMIN.orgProblem(null));
    assertNull(AdminRole.FINANCE.orgProblem(null));
    assertNull(AdminRole.FINANCE.orgProblem("a"));
  }
}
