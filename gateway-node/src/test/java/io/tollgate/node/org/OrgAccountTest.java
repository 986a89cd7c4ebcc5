package io.tollgate.node.org;

import static io.tollgate.node.org.OrgSettingsBuilder.orgSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.node.org.OrgAccount.Settlement;
import io.tollgate.node.org.OrgAccount.Write;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrgAccountTest {
  private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
  private static final OrgSettings SETTINGS = orgSettings().maxBatch(3).maxUnjournaled(10)
      .maxJournalLag(Duration.ofSeconds(3)).holdTtl(Duration.ofMinutes(15)).build();

  private OrgBook journaled = OrgBook.EMPTY;
  private OrgAccount account = new OrgAccount("acme", 1, OrgBook.EMPTY, SETTINGS, T0, ModelRates.UNPRICED);

  /** Plays the ledger: journals the next write and hands the new book back. */
  private Optional<Write> journal(long now) {
    Optional<Write> write = account.nextWrite(now);
    write.ifPresent(w -> {
      for (OrgEvent e : w.events()) {
        journaled = journaled.apply(e);
      }
      account.written(journaled, now);
    });
    return write;
  }

  private void setUp(Limits limits) {
    administer(new AdminCommand.CreateOrg("Acme", limits));
    administer(new AdminCommand.IssueKey("k1", "ci", "hash-1", List.of()));
  }

  private AdminReply administer(AdminCommand command) {
    AdminDecision decision = account.decide(command, T0);
    if (decision instanceof AdminDecision.Answer a) {
      return a.reply();
    }
    assertTrue(journal(T0).orElseThrow().includesAdmin());
    return account.answer(command, T0);
  }

  private Admission admit(long now, long tokens, long cost) {
    return account.admit(new AdmitRequest("r", "k1", "hash-1", "gpt-4o-mini", tokens, cost), now);
  }

  private static UsageRecord usage(Admitted admitted, long input, long output, long cost) {
    return new UsageRecord("req", admitted.reservation(), "k1", admitted.admittedAtMillis(), admitted.admittedAtMillis() + 50,
        "openai", "gpt-4o-mini", 200, Outcome.COMPLETED, TokenUsage.of(input, output), cost, "v", false, false,
        Attribution.NONE, "chat", null);
  }

  @Test
  void refusesUnknownOrgsKeysAndSecrets() {
    assertEquals(DenialReason.UNKNOWN_KEY, ((Denied) admit(T0, 1, 1)).reason());
    setUp(Limits.UNLIMITED);
    assertEquals(DenialReason.UNKNOWN_KEY,
        ((Denied) account.admit(new AdmitRequest("r", "k1", "wrong", "m", 1, 1), T0)).reason());
    assertEquals(DenialReason.UNKNOWN_KEY,
        ((Denied) account.admit(new AdmitRequest("r", "k9", "hash-1", "m", 1, 1), T0)).reason());
    assertInstanceOf(Admitted.class, admit(T0, 1, 1));
  }

  @Test
  void revokedKeysAndModelAllowListsAreEnforced() {
    setUp(Limits.UNLIMITED);
    administer(new AdminCommand.IssueKey("k2", "narrow", "hash-2", List.of("gpt-4o*")));
    assertInstanceOf(Admitted.class, account.admit(new AdmitRequest("r", "k2", "hash-2", "gpt-4o-mini", 1, 1), T0));
    Denied denied = (Denied) account.admit(new AdmitRequest("r", "k2", "hash-2", "o3", 1, 1), T0);
    assertEquals(DenialReason.MODEL_NOT_ALLOWED, denied.reason());
    administer(new AdminCommand.RevokeKey("k1"));
    assertEquals(DenialReason.REVOKED_KEY, ((Denied) admit(T0, 1, 1)).reason());
  }

  @Test
  void anOrgsOwnPriceSetsItsHoldAgainstTheBudget() {
    setUp(new Limits(null, null, null, 1_000_000_000L)); // $1
    // At catalog prices this request would hold $0.60; the org's negotiated $1/$2 per Mtok holds
    // 100k prompt tokens x $1 + 200k output x $2 = $0.50.
    AdmitRequest request = new AdmitRequest("r", "k1", "hash-1", "GPT-4o-2024-08-06", 1, 600_000_000L,
        new HoldBasis("gpt-4o", 100_000, 200_000), 0);
    administer(new AdminCommand.SetPrice("gpt-4o", new ModelPrice(1_000_000_000L, 2_000_000_000L, null, null)));
    Admitted first = (Admitted) account.admit(request, T0);
    assertEquals(500_000_000L, account.quota(T0).reservedCostNanos());
    assertEquals(2_000_000_000L, first.pricing().overrideFor("gpt-4o").price().output().basePerMtok(),
        "the admission carries the org's prices to whoever settles the request");
    assertInstanceOf(Admitted.class, account.admit(request, T0), "two $0.50 holds fit a $1 budget");
    assertEquals(DenialReason.MONTHLY_BUDGET, ((Denied) account.admit(request, T0)).reason());

    administer(new AdminCommand.RemovePrice("GPT-4o"));
    assertEquals(AdminReply.Problem.NOT_FOUND,
        ((AdminReply.Rejected) administer(new AdminCommand.RemovePrice("gpt-4o"))).problem());
  }

  @Test
  void anAskTheRequesterStoppedWaitingForIsStale() {
    AdmitRequest ask = new AdmitRequest("r", "k1", "hash-1", "gpt-4o-mini", 10, 500, new HoldBasis("gpt-4o-mini", 1, 1),
        T0 + 5_000);
    assertFalse(OrgAccount.stale(ask, T0));
    assertFalse(OrgAccount.stale(ask, T0 + 5_000 - OrgAccount.LATE_MARGIN_MILLIS));
    assertTrue(OrgAccount.stale(ask, T0 + 5_000 - OrgAccount.LATE_MARGIN_MILLIS + 1), "too close to its deadline");
    assertTrue(OrgAccount.stale(ask, T0 + 6_000));
    assertFalse(OrgAccount.stale(new AdmitRequest("r", "k1", "hash-1", "m", 1, 1), T0 + 1_000_000), "no deadline");
  }

  @Test
  void aWithdrawnAdmissionIsReleasedAsIfNeverAdmitted() {
    setUp(new Limits(2L, 100L, 5L, 1_000L));
    AdmitRequest first = new AdmitRequest("req-1", "k1", "hash-1", "gpt-4o-mini", 30, 400, new HoldBasis("gpt-4o-mini", 1, 1), 0);
    AdmitRequest second = new AdmitRequest("req-2", "k1", "hash-1", "gpt-4o-mini", 30, 400, new HoldBasis("gpt-4o-mini", 1, 1), 0);
    assertInstanceOf(Admitted.class, account.admit(first, T0));
    assertInstanceOf(Admitted.class, account.admit(second, T0));
    assertEquals(DenialReason.REQUESTS_PER_MINUTE, ((Denied) account.admit(first, T0)).reason());
    journal(T0); // the denial count

    assertTrue(account.withdraw("req-1"));
    assertFalse(account.withdraw("req-1"), "a hold is released once");
    assertFalse(account.withdraw("never-admitted"));
    QuotaView q = account.quota(T0);
    assertEquals(1, q.inFlight());
    assertEquals(1, q.requestsThisMinute());
    assertEquals(30, q.tokensThisMinute());
    assertEquals(400, q.reservedCostNanos());
    assertEquals(1, q.monthlyRequests());
    assertTrue(account.nextWrite(T0).isEmpty(), "a withdrawal journals nothing");
    assertInstanceOf(Admitted.class, account.admit(first, T0), "the released minute slot is free again");
  }

  @Test
  void aRepeatedAskGetsTheHoldAlreadyGivenAndCountsOnce() {
    setUp(new Limits(2L, 100L, 5L, 1_000L));
    AdmitRequest ask = new AdmitRequest("req-1", "k1", "hash-1", "gpt-4o-mini", 30, 400, new HoldBasis("gpt-4o-mini", 1, 1), 0);
    Admitted first = (Admitted) account.admit(ask, T0);
    Admitted again = (Admitted) account.admit(ask.again(0), T0 + 5_000);
    assertEquals(first.reservation(), again.reservation());
    assertEquals(first.admittedAtMillis(), again.admittedAtMillis(), "priced as of the first admission");
    QuotaView q = account.quota(T0 + 5_000);
    assertEquals(1, q.inFlight());
    assertEquals(1, q.requestsThisMinute());
    assertEquals(400, q.reservedCostNanos());
    assertEquals(1, ((Admitted) account.admit(ask.again(0), T0)).limits().requestsRemaining(), "one of two used");

    assertTrue(account.withdraw("req-1"));
    Admitted afterWithdrawal = (Admitted) account.admit(ask.again(0), T0);
    assertNotEquals(first.reservation(), afterWithdrawal.reservation(), "a released hold is not handed out again");
    assertEquals(1, account.quota(T0).inFlight());
  }

  @Test
  void unpricedModelsAreServedUnlessTheOrgRefusesThem() {
    setUp(Limits.UNLIMITED);
    AdmitRequest unpriced = new AdmitRequest("r", "k1", "hash-1", "my-finetune", 1, 0, new HoldBasis(null, 10, 10), 0);
    assertInstanceOf(Admitted.class, account.admit(unpriced, T0));

    AdminReply.PricingDescription policy =
        (AdminReply.PricingDescription) administer(new AdminCommand.SetUnpricedModels(UnpricedModels.REFUSE));
    assertEquals(UnpricedModels.REFUSE, policy.pricing().unpricedModels());
    Denied refused = (Denied) account.admit(unpriced, T0);
    assertEquals(DenialReason.UNPRICED_MODEL, refused.reason());
    assertTrue(refused.message().contains("my-finetune"), refused.message());
    assertInstanceOf(Admitted.class, admit(T0, 1, 1), "a model the catalog prices is still served");

    // The org's own price makes the model priced.
    administer(new AdminCommand.SetPrice("My-Finetune", new ModelPrice(1, 1, null, null)));
    assertInstanceOf(Admitted.class, account.admit(unpriced, T0));
  }

  @Test
  void byDefaultAnUnpricedModelIsRefusedWhereverABudgetApplies() {
    setUp(Limits.UNLIMITED);
    AdmitRequest unpriced = new AdmitRequest("r", "k1", "hash-1", "my-finetune", 1, 0, new HoldBasis(null, 10, 10), 0);
    assertEquals(UnpricedModels.BUDGETED, account.book().pricing().unpricedModels());
    assertInstanceOf(Admitted.class, account.admit(unpriced, T0), "no budget: served");

    administer(new AdminCommand.SetScopeLimits("team:research", new Limits(null, null, null, null, null, null, null,
        null, null, java.util.Map.of("my-*", new Limits(null, null, null, 1_000L)), null)));
    Attribution research = new Attribution(null, null, null, "research", null, java.util.Map.of());
    AdmitRequest forResearch = new AdmitRequest("r2", "k1", "hash-1", "my-finetune", 1, 0, new HoldBasis(null, 10, 10), 0)
        .forWhom(research);
    Denied refused = (Denied) account.admit(forResearch, T0);
    assertEquals(DenialReason.UNPRICED_MODEL, refused.reason());
    assertEquals("team:research", refused.scope());
    assertTrue(refused.message().contains("cannot be held against team 'research''s budget"), refused.message());
    assertInstanceOf(Admitted.class, account.admit(new AdmitRequest("r3", "k1", "hash-1", "my-finetune", 1, 0,
        new HoldBasis(null, 10, 10), 0), T0), "a request of no team has no budget");

    administer(new AdminCommand.SetUnpricedModels(UnpricedModels.SERVE));
    assertInstanceOf(Admitted.class, account.admit(forResearch, T0), "the org chose to serve them");
  }

  @Test
  void withoutMaxTokensTheHoldIsWhatThisOrgsAnswersOfTheModelUsedSoASmallBudgetIsNotRefusedForNothing() {
    setUp(new Limits(null, null, null, 1_000L)); // a budget of a microdollar
    // 100 prompt tokens and the default 4,096 output at $0.15 / $0.60 per million: 2,473 nano-USD held.
    HoldBasis defaulted = new HoldBasis("gpt-4o-mini", 100, 4096, true, 150_000, 600_000);
    long tokens = 25 + 4096;
    Denied refused = (Denied) account.admit(new AdmitRequest("big-1", "k1", "hash-1", "gpt-4o-mini", tokens, 2_473,
        defaulted, 0), T0);
    assertEquals(DenialReason.MONTHLY_BUDGET, refused.reason(), "no answers yet: the default is held");

    for (int i = 0; i < OutputSizes.MIN_SAMPLES; i++) {
      Admitted small = (Admitted) account.admit(new AdmitRequest("s-" + i, "k1", "hash-1", "gpt-4o-mini", 10, 5,
          new HoldBasis("gpt-4o-mini", 10, 60), 0), T0);
      account.settle(usage(small, 10, 50, 1));
      journal(T0);
    }
    Admitted admitted = (Admitted) account.admit(new AdmitRequest("big-2", "k1", "hash-1", "gpt-4o-mini", tokens, 2_473,
        defaulted, 0), T0);
    assertEquals(45, account.quota(T0).reservedCostNanos(), "held for 50 output tokens: 100 x 0.15 + 50 x 0.60");
    assertEquals(1, account.quota(T0).inFlight());
    assertEquals(25 + 50, account.quota(T0).tokensThisMinute() - OutputSizes.MIN_SAMPLES * 60L,
        "the token limits hold the same");
    assertTrue(admitted.reservation() != null);
  }

  @Test
  void exactlyTheRequestsPerMinuteAreAdmittedThenTheNextMinuteOpens() {
    setUp(new Limits(3L, null, null, null));
    for (int i = 0; i < 3; i++) {
      Admitted a = (Admitted) admit(T0 + 15_000, 10, 0);
      assertEquals(2 - i, a.limits().requestsRemaining());
    }
    Denied denied = (Denied) admit(T0 + 15_000, 10, 0);
    assertEquals(DenialReason.REQUESTS_PER_MINUTE, denied.reason());
    assertEquals(45, denied.retryAfterSeconds());
    assertEquals(T0 + 60_000, denied.limits().resetAtMillis());
    assertInstanceOf(Admitted.class, admit(T0 + 60_000, 10, 0));
  }

  @Test
  void tokensPerMinuteHoldTheEstimateUntilSettledWithActuals() {
    setUp(new Limits(null, 1000L, null, null));
    Admitted a = (Admitted) admit(T0, 600, 0);
    assertEquals(DenialReason.TOKENS_PER_MINUTE, ((Denied) admit(T0, 600, 0)).reason());
    assertEquals(Settlement.ACCEPTED, account.settle(usage(a, 50, 50, 0)));
    assertEquals(100, account.quota(T0).tokensThisMinute(), "the 600-token estimate became the 100 actually used");
    assertInstanceOf(Admitted.class, admit(T0, 600, 0));
    Denied tooBig = (Denied) admit(T0, 5000, 0);
    assertTrue(tooBig.message().contains("max_tokens"), tooBig.message());
  }

  @Test
  void concurrentHoldsNeverOverrunTheBudget() {
    setUp(new Limits(null, null, null, 1_000L));
    Admitted first = (Admitted) admit(T0, 10, 400);
    Admitted second = (Admitted) admit(T0, 10, 400);
    Denied third = (Denied) admit(T0, 10, 400);
    assertEquals(DenialReason.MONTHLY_BUDGET, third.reason());
    assertEquals(800, account.quota(T0).reservedCostNanos());
    account.settle(usage(first, 1, 1, 150));
    account.settle(usage(second, 1, 1, 150));
    QuotaView q = account.quota(T0);
    assertEquals(300, q.month().costNanos());
    assertEquals(0, q.reservedCostNanos());
    assertEquals(700, q.remainingBudgetNanos());
    assertInstanceOf(Admitted.class, admit(T0, 10, 400));
  }

  @Test
  void monthlyRequestsCountThoseInFlightAndResetInANewMonth() {
    setUp(new Limits(null, null, 2L, null));
    Admitted a = (Admitted) admit(T0, 1, 0);
    admit(T0, 1, 0);
    assertEquals(DenialReason.MONTHLY_REQUESTS, ((Denied) admit(T0, 1, 0)).reason());
    account.settle(usage(a, 1, 1, 0));
    assertEquals(DenialReason.MONTHLY_REQUESTS, ((Denied) admit(T0, 1, 0)).reason());
    long december = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    assertEquals(1, account.quota(december).monthlyRequests(), "only the one still in flight");
  }

  @Test
  void aSettlementCountsOnceWhateverTheRetries() {
    setUp(Limits.UNLIMITED);
    Admitted a = (Admitted) admit(T0, 10, 100);
    UsageRecord record = usage(a, 7, 3, 42);
    assertEquals(Settlement.ACCEPTED, account.settle(record));
    assertEquals(Settlement.AWAITING_WRITE, account.settle(record));
    Write write = journal(T0).orElseThrow();
    assertEquals(List.of(a.reservation()), write.reservations());
    assertEquals(Settlement.ALREADY_DURABLE, account.settle(record));
    assertEquals(42, account.quota(T0).month().costNanos());
    assertEquals(1, account.quota(T0).month().requests());
    assertEquals(42, journaled.month().costNanos());
  }

  @Test
  void aRestartedAccountKnowsWhatWasSettledAndCountsWhatWasNot() {
    setUp(new Limits(10L, null, null, null));
    Admitted settledBefore = (Admitted) admit(T0, 10, 0);
    Admitted inFlightAtCrash = (Admitted) admit(T0, 10, 0);
    account.settle(usage(settledBefore, 5, 5, 10));
    journal(T0);

    OrgAccount restarted = new OrgAccount("acme", 2, journaled, SETTINGS, T0 + 1_000, ModelRates.UNPRICED);
    assertEquals(1, restarted.quota(T0 + 1_000).requestsThisMinute(), "the minute resumes from the journal");
    assertEquals(Settlement.ALREADY_DURABLE, restarted.settle(usage(settledBefore, 5, 5, 10)));
    assertEquals(Settlement.ACCEPTED, restarted.settle(usage(inFlightAtCrash, 1, 1, 20)));
    QuotaView q = restarted.quota(T0 + 1_000);
    assertEquals(2, q.requestsThisMinute());
    assertEquals(30, q.month().costNanos());
    Admitted fresh = (Admitted) restarted.admit(new AdmitRequest("r", "k1", "hash-1", "m", 1, 1), T0 + 1_000);
    assertEquals(2, fresh.reservation().incarnation());
    assertEquals(1, fresh.reservation().seq());
  }

  @Test
  void expiredHoldsAreJournaledAsAbandonedAndStillCountAsRequests() {
    setUp(new Limits(null, null, null, 1_000L));
    Admitted a = (Admitted) admit(T0, 10, 500);
    assertEquals(0, account.expireHolds(T0 + Duration.ofMinutes(14).toMillis()));
    assertEquals(1, account.expireHolds(T0 + Duration.ofMinutes(16).toMillis()));
    QuotaView q = account.quota(T0);
    assertEquals(0, q.inFlight());
    assertEquals(0, q.reservedCostNanos());
    assertEquals(1, q.monthlyRequests());
    assertEquals(1, q.month().abandonedRequests(), "a request without a usage record");
    assertEquals(0, q.month().costNanos(), "its cost is unknown, so none is recorded");
    assertEquals(500, q.month().abandonedHoldNanos());
    assertEquals(500, q.remainingBudgetNanos(), "but its hold still counts against the budget");
    long later = T0 + Duration.ofMinutes(17).toMillis();
    assertEquals(DenialReason.MONTHLY_BUDGET, ((Denied) admit(later, 10, 501)).reason());
    assertInstanceOf(Admitted.class, admit(later, 10, 500));
    Write write = journal(T0).orElseThrow();
    assertInstanceOf(OrgEvent.ReservationsAbandoned.class, write.events().get(0));
    assertEquals(Settlement.ALREADY_DURABLE, account.settle(usage(a, 1, 1, 1)));
    assertEquals(1, journaled.month().requests());
    assertEquals(1, journaled.month().abandonedRequests());
    assertEquals(500, journaled.month().abandonedHoldNanos(), "the journaled book keeps the hold too");
  }

  @Test
  void writesAreBatchedOneAtATime() {
    setUp(Limits.UNLIMITED);
    for (int i = 0; i < 5; i++) {
      account.settle(usage((Admitted) admit(T0, 1, 0), 1, 1, 1));
    }
    admit(T0, 1, 0);
    account.admit(new AdmitRequest("r", "k1", "nope", "m", 1, 1), T0);
    Write first = account.nextWrite(T0).orElseThrow();
    assertEquals(3, first.reservations().size(), "at most maxBatch records per write");
    assertTrue(account.nextWrite(T0).isEmpty(), "one write in flight");
    assertInstanceOf(OrgEvent.RequestsDenied.class, first.events().get(1));
    for (OrgEvent e : first.events()) {
      journaled = journaled.apply(e);
    }
    account.written(journaled, T0);
    assertEquals(2, journal(T0).orElseThrow().reservations().size());
    assertTrue(journal(T0).isEmpty());
  }

  @Test
  void admissionsStopWhenTheJournalFallsTooFarBehind() {
    setUp(Limits.UNLIMITED);
    for (int i = 0; i < SETTINGS.maxUnjournaled(); i++) {
      account.settle(usage((Admitted) admit(T0, 1, 0), 1, 1, 1));
    }
    assertEquals(DenialReason.OVERLOADED, ((Denied) admit(T0, 1, 0)).reason());
  }

  @Test
  void admissionsStopWhileAJournalWriteIsOutstandingTooLong() {
    long[] elapsed = {0};
    account = new OrgAccount("acme", 1, OrgBook.EMPTY, SETTINGS, T0, () -> elapsed[0], ModelRates.UNPRICED);
    setUp(Limits.UNLIMITED);
    account.settle(usage((Admitted) admit(T0, 1, 0), 1, 1, 1));
    Write slow = account.nextWrite(T0).orElseThrow(); // handed to the journal, not yet written
    long limit = SETTINGS.maxJournalLag().toMillis();
    assertInstanceOf(Admitted.class, admit(T0 + Duration.ofMinutes(5).toMillis(), 1, 0),
        "the wall clock moving on (or jumping) says nothing about the journal");
    elapsed[0] = limit;
    assertInstanceOf(Admitted.class, admit(T0 + limit, 1, 0), "a write this old is still normal");
    elapsed[0] = limit + 1;
    Denied shed = (Denied) admit(T0 + limit + 1, 1, 0);
    assertEquals(DenialReason.OVERLOADED, shed.reason());
    assertEquals(1, shed.retryAfterSeconds());

    for (OrgEvent e : slow.events()) {
      journaled = journaled.apply(e);
    }
    account.written(journaled, T0 + limit + 1);
    assertInstanceOf(Admitted.class, admit(T0 + limit + 2, 1, 0), "admissions resume once the journal caught up");
  }

  @Test
  void adminCommandsAreDecidedAgainstTheBook() {
    assertInstanceOf(AdminReply.Rejected.class, administer(new AdminCommand.DescribeOrg()));
    AdminReply created = administer(new AdminCommand.CreateOrg("Acme", new Limits(5L, null, null, null)));
    assertEquals("Acme", ((AdminReply.OrgDescription) created).profile().name());
    assertEquals(AdminReply.Problem.ALREADY_EXISTS,
        ((AdminReply.Rejected) administer(new AdminCommand.CreateOrg("Again", Limits.UNLIMITED))).problem());
    administer(new AdminCommand.IssueKey("k1", "ci", "h", List.of()));
    AdminReply.KeyDescription revoked = (AdminReply.KeyDescription) administer(new AdminCommand.RevokeKey("k1"));
    assertTrue(revoked.key().revokedAtMillis() != null);
    assertInstanceOf(AdminDecision.Answer.class, account.decide(new AdminCommand.RevokeKey("k1"), T0),
        "revoking a revoked key journals nothing");
    assertEquals(AdminReply.Problem.NOT_FOUND,
        ((AdminReply.Rejected) administer(new AdminCommand.RevokeKey("nope"))).problem());
    AdminReply.KeyList keys = (AdminReply.KeyList) administer(new AdminCommand.ListKeys());
    assertEquals(1, keys.keys().size());
    assertEquals(0, ((AdminReply.OrgDescription) administer(new AdminCommand.DescribeOrg())).activeKeys());
    assertFalse(account.hasUnjournaled());
    assertTrue(journaled.keys().get("k1").allowedModels().isEmpty(), "no allow-list means any model");
  }
}
