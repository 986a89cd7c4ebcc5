package io.tollgate.node.org;

import static io.tollgate.node.org.OrgSettingsBuilder.orgSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which model serves a request and what it is held at: fallbacks from the request, its key or its org, the hold
 * of the dearest, a scope's downgrade once its budget passes the share. Through the account, without an actor.
 */
class ModelChoiceTest {
  private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
  private static final long DOLLAR = 1_000_000_000L;
  /** Per million tokens, input and output: a dear, a middling and a cheap model. */
  private static final Map<String, long[]> RATES = Map.of(
      "gpt-4o", new long[] {2_500 * 1_000_000L, 10_000 * 1_000_000L},
      "mistral/mistral-large-latest", new long[] {2_000 * 1_000_000L, 6_000 * 1_000_000L},
      "o1", new long[] {15_000 * 1_000_000L, 60_000 * 1_000_000L},
      "gpt-4o-mini", new long[] {150 * 1_000_000L, 600 * 1_000_000L});
  private static final ModelRates CATALOG = (provider, model, asked) -> {
    long[] r = RATES.get(model);
    return r == null ? ModelRates.UNPRICED.basis(provider, model, asked)
        : new HoldBasis(Policy.modelOf(model), asked.promptTokens(), asked.outputTokens(), asked.outputDefaulted(), r[0], r[1]);
  };

  private OrgBook journaled = OrgBook.EMPTY;
  private final OrgAccount account = new OrgAccount("acme", 1, OrgBook.EMPTY, orgSettings().build(), T0, CATALOG);
  private int requests;

  private void administer(AdminCommand command) {
    assertInstanceOf(AdminDecision.Journal.class, account.decide(command, T0), command.toString());
    journal();
  }

  private void journal() {
    account.nextWrite(T0).ifPresent(w -> {
      for (OrgEvent e : w.events()) {
        journaled = journaled.apply(e, 100);
      }
      account.written(journaled, T0);
    });
  }

  /** A gpt-4o request of 1,000 prompt and 1,000 output tokens, held as the node holds it. */
  private Admission admit(String key, List<String> fallbacks, Attribution whom) {
    requests++;
    HoldBasis basis = CATALOG.basis("openai", "gpt-4o", new HoldBasis(null, 1_000, 1_000));
    long cost = Cost.upperBound(1_000, 1_000, basis.inputPerMtok(), basis.outputPerMtok());
    return account.admit(new AdmitRequest("r" + requests, key, "hash-" + key, "gpt-4o", 2_000, cost, basis, 0, 1, whom,
        "openai", fallbacks), T0);
  }

  private static long hold(String model) {
    long[] r = RATES.get(model);
    return Cost.upperBound(1_000, 1_000, r[0], r[1]);
  }

  private void setUp() {
    administer(new AdminCommand.CreateOrg("Acme", Limits.UNLIMITED));
    administer(new AdminCommand.IssueKey("k1", "app", "hash-k1", List.of()));
    administer(new AdminCommand.IssueKey("k2", "mini only", "hash-k2", List.of("gpt-4o", "gpt-4o-mini")));
  }

  private long held() {
    return account.quota(T0).reservedCostNanos();
  }

  @Test
  void theRequestsOwnFallbacksComeFirstThenTheKeysThenTheOrgs() {
    setUp();
    administer(new AdminCommand.SetPolicy(null, new Policy(Map.of("gpt-4o*", List.of("gpt-4o-mini")))));
    administer(new AdminCommand.SetPolicy("k1", new Policy(Map.of("gpt-4o", List.of("mistral/mistral-large-latest")))));
    assertEquals(List.of("o1"), ((Admitted) admit("k1", List.of("o1"), Attribution.NONE)).fallbacks());
    assertEquals(List.of("mistral/mistral-large-latest"), ((Admitted) admit("k1", null, Attribution.NONE)).fallbacks());
    assertEquals(List.of("gpt-4o-mini"), ((Admitted) admit("k2", null, Attribution.NONE)).fallbacks(),
        "k2 has no policy of its own: the org's, by its pattern");
  }

  @Test
  void theHoldCoversTheDearestCandidate() {
    setUp();
    admit("k1", null, Attribution.NONE);
    assertEquals(hold("gpt-4o"), held());
    long before = held();
    admit("k1", List.of("gpt-4o-mini", "o1"), Attribution.NONE);
    assertEquals(hold("o1"), held() - before, "o1 is the dearest: the hold is its");
    long beforeCheap = held();
    admit("k1", List.of("gpt-4o-mini"), Attribution.NONE);
    assertEquals(hold("gpt-4o"), held() - beforeCheap, "a cheaper fallback holds no more");
  }

  @Test
  void aKeyMayNotEscapeItsModelsThroughFallbacks() {
    setUp();
    Denied denied = (Denied) admit("k2", List.of("o1"), Attribution.NONE);
    assertEquals(DenialReason.MODEL_NOT_ALLOWED, denied.reason());
    administer(new AdminCommand.SetPolicy(null, new Policy(Map.of("*", List.of("o1", "gpt-4o-mini")))));
    assertEquals(List.of("gpt-4o-mini"), ((Admitted) admit("k2", null, Attribution.NONE)).fallbacks(),
        "a policy's model the key may not use is left out");
  }

  @Test
  void aScopePastItsDowngradeShareIsServedByTheCheaperModel() {
    setUp();
    Limits budget = new Limits(null, null, null, 10 * DOLLAR, null, null, null, null, null, null, null,
        new Limits.Downgrade(90, "gpt-4o-mini"));
    administer(new AdminCommand.SetScopeLimits("team:research", budget));
    Attribution research = new Attribution(null, null, null, "research", null, null);
    Admitted first = (Admitted) admit("k1", null, research);
    assertNull(first.model(), "nothing spent: served as asked");
    account.settle(new UsageRecord("r1", first.reservation(), "k1", first.admittedAtMillis(), T0 + 10, "openai",
        "gpt-4o", 200, Outcome.COMPLETED, TokenUsage.of(5, 5), 9 * DOLLAR, "v", false, false, first.attribution(),
        "chat", null));
    journal();
    long before = held();
    Admitted second = (Admitted) admit("k1", null, research);
    assertEquals("gpt-4o-mini", second.model(), "$9 of $10 spent: 90 %, the downgrade's share");
    assertEquals(hold("gpt-4o-mini"), held() - before, "held at the cheaper model");
    assertNull(((Admitted) admit("k1", null, Attribution.NONE)).model(), "another team is served as asked");
  }

  @Test
  void aShareIsExactForAnyBudget() {
    assertEquals(9_000_000_000L, ModelChoice.share(10 * DOLLAR, 90));
    assertEquals(33, ModelChoice.share(99, 34), "99 x 34 % = 33.66, rounded down");
    assertEquals(Long.MAX_VALUE / 100 * 99 + Long.MAX_VALUE % 100 * 99 / 100, ModelChoice.share(Long.MAX_VALUE, 99),
        "no overflow");
  }
}
