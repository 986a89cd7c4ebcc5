package io.tollgate.node.org;

import static io.tollgate.node.org.OrgSettingsBuilder.orgSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits of every scope a request counts in, kept by one org account in one decision. */
class ScopedLimitsTest {
  private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
  private static final long DOLLAR = 1_000_000_000L;

  private OrgBook journaled = OrgBook.EMPTY;
  private OrgAccount account = new OrgAccount("acme", 1, OrgBook.EMPTY, orgSettings().maxTrackedValues(4).build(), T0, ModelRates.UNPRICED);
  private int requests;

  private void journal() {
    account.nextWrite(T0).ifPresent(w -> {
      for (OrgEvent e : w.events()) {
        journaled = journaled.apply(e, 4);
      }
      account.written(journaled, T0);
    });
  }

  private void administer(AdminCommand command) {
    AdminDecision decision = account.decide(command, T0);
    assertInstanceOf(AdminDecision.Journal.class, decision, command.toString());
    journal();
  }

  private static Limits monthlyBudget(long nanos) {
    return new Limits(null, null, null, nanos);
  }

  private static Limits perMinute(long requests, Enforcement mode) {
    return new Limits(requests, null, null, null, null, null, null, null, null, null, mode);
  }

  private Admission admit(String key, Attribution whom, long cost) {
    requests++;
    return account.admit(new AdmitRequest("r" + requests, key, "hash-" + key, "gpt-4o", 10, cost).forWhom(whom), T0);
  }

  private static Attribution team(String team) {
    return new Attribution(null, null, null, team, null, null);
  }

  private static Attribution customer(String customer) {
    return new Attribution(null, null, customer, null, null, null);
  }

  private void settle(Admitted admitted, String key, long cost) {
    account.settle(new UsageRecord("req", admitted.reservation(), key, admitted.admittedAtMillis(), T0 + 10, "openai",
        "gpt-4o", 200, Outcome.COMPLETED, TokenUsage.of(5, 5), cost, "v", false, false, admitted.attribution(), "chat",
        null));
  }

  private void setUp() {
    administer(new AdminCommand.CreateOrg("Acme", monthlyBudget(100 * DOLLAR)));
    administer(new AdminCommand.IssueKey("k1", "app", "hash-k1", List.of()));
    administer(new AdminCommand.IssueKey("k2", "bound", "hash-k2", List.of(), monthlyBudget(3 * DOLLAR),
        Map.of("team", "research"), null));
  }

  @Test
  void aTeamsBudgetRefusesItsRequestsAndNoOneElses() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("team:research", monthlyBudget(2 * DOLLAR)));
    Admitted first = (Admitted) admit("k1", team("research"), DOLLAR);
    settle(first, "k1", DOLLAR + DOLLAR / 2);
    Denied denied = (Denied) admit("k1", team("research"), DOLLAR);
    assertEquals(DenialReason.MONTHLY_BUDGET, denied.reason());
    assertEquals("team:research", denied.scope());
    assertTrue(denied.message().startsWith("team 'research': monthly budget of $2.00 would be exceeded: $1.50 spent"),
        denied.message());
    assertInstanceOf(Admitted.class, admit("k1", team("ops"), DOLLAR), "another team has its own budget");
    assertInstanceOf(Admitted.class, admit("k1", team("research"), DOLLAR / 2), "what fits the remainder is admitted");
  }

  @Test
  void theDefaultOfAScopeAppliesToEachValueWithoutItsOwn() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("customer:*", perMinute(1, null)));
    administer(new AdminCommand.SetScopeLimits("customer:big", perMinute(3, null)));
    assertInstanceOf(Admitted.class, admit("k1", customer("a"), 0));
    assertEquals("customer:a", ((Denied) admit("k1", customer("a"), 0)).scope());
    assertInstanceOf(Admitted.class, admit("k1", customer("b"), 0), "each customer has its own minute");
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(Admitted.class, admit("k1", customer("big"), 0));
    }
    assertEquals(DenialReason.REQUESTS_PER_MINUTE, ((Denied) admit("k1", customer("big"), 0)).reason());
  }

  @Test
  void aBoundKeyCountsInItsTeamAndRefusesAHeaderNamingAnother() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("team:research", monthlyBudget(DOLLAR)));
    Admitted admitted = (Admitted) admit("k2", Attribution.NONE, DOLLAR);
    assertEquals("research", admitted.attribution().team(), "the record will name the bound team");
    Denied conflict = (Denied) admit("k2", team("ops"), 0);
    assertEquals(DenialReason.BINDING_CONFLICT, conflict.reason());
    assertEquals(DenialReason.MONTHLY_BUDGET, ((Denied) admit("k2", team("research"), 1)).reason(),
        "the same team named again is no conflict, and its budget is held");
  }

  @Test
  void aKeysOwnLimitsLiveOnTheKey() {
    setUp();
    administer(new AdminCommand.SetKeyLimits("k1", perMinute(1, null)));
    assertInstanceOf(Admitted.class, admit("k1", Attribution.NONE, 0));
    assertEquals("key:k1", ((Denied) admit("k1", Attribution.NONE, 0)).scope());
    administer(new AdminCommand.SetKeyLimits("k1", null));
    assertInstanceOf(Admitted.class, admit("k1", Attribution.NONE, 0), "removed, the key is unlimited again");
  }

  @Test
  void softLimitsAdmitAndFlagShadowLimitsOnlyCount() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("team:a", perMinute(1, Enforcement.SOFT)));
    administer(new AdminCommand.SetScopeLimits("team:b", perMinute(0, Enforcement.SHADOW)));
    assertEquals(List.of(), ((Admitted) admit("k1", team("a"), 0)).overLimits());
    assertEquals(List.of("soft team:a requests_per_minute"), ((Admitted) admit("k1", team("a"), 0)).overLimits());
    assertEquals(List.of("shadow team:b requests_per_minute"), ((Admitted) admit("k1", team("b"), 0)).overLimits());
  }

  @Test
  void aWithdrawnHoldIsGivenBackInEveryScope() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("team:research", perMinute(1, null)));
    admit("k1", team("research"), 0);
    assertTrue(account.withdraw("r1"));
    assertInstanceOf(Admitted.class, admit("k1", team("research"), 0), "the team's minute was given back");
  }

  @Test
  void aRestartedAccountResumesEveryScopesCounters() {
    setUp();
    administer(new AdminCommand.SetScopeLimits("team:research", monthlyBudget(2 * DOLLAR)));
    settle((Admitted) admit("k1", team("research"), DOLLAR), "k1", DOLLAR + DOLLAR / 2);
    journal();
    account = new OrgAccount("acme", 2, journaled, orgSettings().maxTrackedValues(4).build(), T0 + 1000, ModelRates.UNPRICED);
    Denied denied = (Denied) admit("k1", team("research"), DOLLAR);
    assertEquals("team:research", denied.scope(), "the team's spend came back from the journal");
  }

  @Test
  void atTheCapANewValueIsServedUncountedUnlessALimitAppliesToIt() {
    setUp(); // the cap is 4 values besides the org: key:k1 and three teams fill it
    for (String t : List.of("a", "b", "c")) {
      assertInstanceOf(Admitted.class, admit("k1", team(t), 0));
    }
    assertInstanceOf(Admitted.class, admit("k1", team("d"), 0), "no limit is at stake: served");
    administer(new AdminCommand.SetScopeLimits("team:*", perMinute(100, null)));
    Denied denied = (Denied) admit("k1", team("e"), 0);
    assertEquals(DenialReason.TOO_MANY_SCOPE_VALUES, denied.reason());
    assertEquals("team:e", denied.scope());
    assertInstanceOf(Admitted.class, admit("k1", team("a"), 0), "a tracked value goes on");
  }
}
