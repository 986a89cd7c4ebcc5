package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.org.LimitCheck.Subject;
import io.tollgate.node.org.LimitCheck.Verdict;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.Periods;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.Tally;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitCheckTest {
  private static final long T0 = Instant.parse("2026-11-22T10:00:30Z").toEpochMilli();
  private static final ScopeKey ORG = ScopeKey.org("acme");
  private static final ScopeKey TEAM = new ScopeKey(Scope.TEAM, "research");
  private static final long DOLLAR = 1_000_000_000L;

  private static Limits budget(long monthly, Enforcement mode) {
    return new Limits(null, null, null, monthly, null, null, null, null, null, null, mode);
  }

  private static Tally spent(long requests, long tokens, long cost) {
    return Tally.EMPTY.plus(Periods.UTC, T0, requests, tokens, cost);
  }

  private static Verdict check(long tokens, long cost, Subject... subjects) {
    return LimitCheck.check(List.of(subjects), tokens, cost, Periods.UTC, T0);
  }

  @Test
  void aRequestThatFitsTheRemainderIsAdmittedToTheNanoAndOneThatDoesNotIsRefused() {
    Subject team = new Subject(TEAM, budget(100 * DOLLAR, null), spent(3, 0, 99 * DOLLAR), List.of());
    assertNull(check(0, DOLLAR, team).refusal(), "exactly the remainder fits");
    Verdict over = check(0, DOLLAR + 1, team);
    assertEquals(DenialReason.MONTHLY_BUDGET, over.refusal().reason());
    assertEquals(TEAM, over.refusal().scope());
    assertEquals("team 'research': monthly budget of $100.00 would be exceeded: $99.00 spent or held for requests in"
        + " flight, this request may cost up to $1.000000001.", over.refusal().message(T0));
    assertEquals(0, over.refusal().retryAfterSeconds(T0), "retrying soon cannot help against a monthly budget");
  }

  @Test
  void theFirstScopeToRefuseIsNamedAndEveryScopeIsChecked() {
    Subject org = new Subject(ORG, new Limits(100L, null, null, null), spent(10, 0, 0), List.of());
    Subject team = new Subject(TEAM, new Limits(null, null, null, null, 10L, null, null, null, null, null, null),
        spent(10, 0, 0), List.of());
    Verdict verdict = check(0, 0, org, team);
    assertEquals(DenialReason.REQUESTS_PER_HOUR, verdict.refusal().reason());
    assertEquals(TEAM, verdict.refusal().scope());
    assertEquals(Instant.parse("2026-11-22T11:00:00Z").toEpochMilli(), verdict.refusal().resetAtMillis());
    assertEquals(3570, verdict.refusal().retryAfterSeconds(T0), "until the hour turns");
  }

  @Test
  void theTightestLimitOfAnyScopeIsWhatTheCallerIsTold() {
    Subject org = new Subject(ORG, new Limits(100L, 10_000L, null, 50 * DOLLAR), spent(10, 100, DOLLAR), List.of());
    Subject team = new Subject(TEAM, new Limits(20L, null, null, 5 * DOLLAR), spent(15, 0, 2 * DOLLAR), List.of());
    Verdict verdict = check(50, DOLLAR, org, team);
    assertNull(verdict.refusal());
    assertEquals(20L, verdict.status().requestLimit());
    assertEquals(4, verdict.status().requestsRemaining(), "20 - 15 - this one");
    assertEquals(10_000L - 150, verdict.status().tokensRemaining());
    assertEquals("team:research", verdict.status().budgetScope());
    assertEquals(2 * DOLLAR, verdict.status().budgetRemainingNanos());
    assertEquals(2 * DOLLAR, verdict.hardBudgetLeft(), "where a stream of an org that stops them is stopped");
  }

  @Test
  void softAndShadowLimitsAdmitAndSaySoAndShadowLimitsTellTheCallerNothing() {
    Subject soft = new Subject(TEAM, budget(DOLLAR, Enforcement.SOFT), spent(1, 0, DOLLAR), List.of());
    Subject shadow = new Subject(ORG, new Limits(1L, null, null, null, null, null, null, null, null, null,
        Enforcement.SHADOW), spent(1, 0, 0), List.of());
    Verdict verdict = check(0, 1, soft, shadow);
    assertNull(verdict.refusal());
    assertEquals(List.of("soft team:research monthly_budget_usd", "shadow org:acme requests_per_minute"),
        verdict.unenforced().stream().map(LimitCheck.Breach::label).toList());
    assertNull(verdict.status().requestLimit(), "a shadow limit is not in the headers");
    assertEquals("team:research", verdict.status().budgetScope());
    assertNull(verdict.hardBudgetLeft(), "a soft budget stops no stream");
  }

  @Test
  void aModelPatternsLimitsApplyToItsOwnTally() {
    Limits team = new Limits(null, null, null, 100 * DOLLAR, null, null, null, null, null,
        Map.of("claude-opus*", budget(DOLLAR, null)), null);
    Tally used = Tally.EMPTY.plus(Periods.UTC, T0, 1, 0, DOLLAR, List.of("claude-opus*"))
        .plus(Periods.UTC, T0, 1, 0, 5 * DOLLAR);
    Verdict opus = check(0, 1, new Subject(TEAM, team, used, List.of("claude-opus*")));
    assertEquals(DenialReason.MONTHLY_BUDGET, opus.refusal().reason());
    assertEquals("claude-opus*", opus.refusal().pattern());
    assertTrue(opus.refusal().message(T0).startsWith("team 'research', models 'claude-opus*': monthly budget of $1.00"));
    assertNull(check(0, DOLLAR, new Subject(TEAM, team, used, List.of())).refusal(), "another model is not held to it");
  }

  @Test
  void aRequestLargerThanATokenLimitIsToldItCanNeverFit() {
    Subject org = new Subject(ORG, new Limits(null, 100L, null, null), Tally.EMPTY, List.of());
    Verdict verdict = check(101, 0, org);
    assertEquals(DenialReason.TOKENS_PER_MINUTE, verdict.refusal().reason());
    assertEquals(0, verdict.refusal().retryAfterSeconds(T0));
    assertTrue(verdict.refusal().message(T0).startsWith("Request too large for tokens per minute"));
  }
}
