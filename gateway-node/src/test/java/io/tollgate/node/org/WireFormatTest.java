package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.AnomalyAction;
import io.tollgate.protocol.org.AnomalyGrade;
import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.LimitCrossing;
import io.tollgate.protocol.org.RateLimitHit;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.AuditEntry;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPlan;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.PlanBook;
import io.tollgate.protocol.org.PlanEvent;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.org.Webhook;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.Charge;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.Rate;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Everything that crosses nodes or reaches the journal survives Pekko's serializer, bound as the node
 * binds it. A message that only works in one JVM fails here, not in a cluster.
 */
class WireFormatTest {
  private static final Webhook WEBHOOK = new Webhook("wh_1", "https://a.example/in", List.of("key.created"),
      Webhook.STANDARD, "whsec_AA", 19);
  private static final ActorTestKit testKit = ActorTestKit.create("wire", ConfigFactory.parseString("""
      pekko.actor.provider = local
      pekko.actor.serialization-bindings { "io.tollgate.protocol.CborSerializable" = jackson-cbor }
      """));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(message);
    assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName(), "bound to CBOR: " + message.getClass());
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  private static final UsageRecord RECORD = new UsageRecord("req_1", new ReservationId(-42, 7), "k1", 1_000L, 2_000L,
      "openai", "gpt-4o-mini-2024-07-18", 200, Outcome.CLIENT_DISCONNECTED,
      new TokenUsage(10, 5, 2, 1, null).withMedia(new TokenUsage.Media(3, 2, 1, 0)), 1234,
      "v1", false, true, new Attribution("agent", "session", null, "team", "user", Map.of("env", "prod")), "chat", 837L,
      List.of("soft team:team monthly_budget_usd"), 1_000L, 640L, List.of(new Charge(Charge.TokenClass.INPUT, 10, 150_000_000L),
          new Charge(Charge.TokenClass.REASONING, 1, 600_000_000L)));

  private static final BusinessOutcome OUTCOME = new BusinessOutcome("o-1", "s-42", "ticket_resolved", 12_500_000_000L,
      "{\"ticket\":\"4711\"}", "k1", new Attribution("agent", null, "c-1", null, null, Map.of()), 3);

  /** Every rate class set, one of them tiered: the richest price a message can carry. */
  private static final ModelPrice TIERED = new ModelPrice(new Rate(1_250_000_000L, List.of(new Rate.Tier(200_000, 2_500_000_000L))),
      Rate.flat(10_000_000_000L), Rate.flat(125_000_000L), Rate.flat(1_562_500_000L), Rate.flat(2_500_000_000L),
      Rate.flat(12_000_000_000L));
  private static final OrgPricing PRICING = OrgPricing.DEFAULT.with(new PriceOverride("gpt-4o", TIERED, 1))
      .with(UnpricedModels.REFUSE);

  @Test
  void commandsBetweenNodesRoundTrip() {
    TestProbe<Object> probe = testKit.createTestProbe();
    List<Object> messages = List.of(
        new OrgCommand.Admit(new AdmitRequest("req", "k", "hash", "gpt-4o", 100, 2000), probe.ref().narrow()),
        new OrgCommand.Settle(RECORD, probe.ref().narrow()),
        new OrgCommand.GetQuota(probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.CreateOrg("Acme", new Limits(1L, null, 3L, 4L)), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.IssueKey("k", "n", "h", List.of("gpt-4o*")), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.DescribeOrg(), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.ListKeys(), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.CloseSession("s-42"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.Audit(new AuditEntry("t", "n", "operator", "POST /admin/orgs/acme/disable",
            200, null, null, 1)), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.ReportOutcome(OUTCOME), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.ReviewOutcome("o-1", true, "alice"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.SetMarkup(null), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.AddWebhook(WEBHOOK), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.RemoveWebhook("wh_1"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.ListWebhooks(), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.TestWebhook("wh_1"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.RevokeKey("k"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.SetLimits(Limits.UNLIMITED), probe.ref().narrow()),
        new OrgCommand.Admit(new AdmitRequest("req", "k", "hash", "x", 1, 0, new HoldBasis(null, 5, 6), 99), probe.ref().narrow()),
        new OrgCommand.Admit(new AdmitRequest("req", "k", "hash", "x", 1, 0, new HoldBasis(null, 5, 6), 99).again(120),
            probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.SetPrice("gpt-4o", TIERED), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.RemovePrice("gpt-4o"), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.SetUnpricedModels(UnpricedModels.REFUSE), probe.ref().narrow()),
        new OrgCommand.Administer(new AdminCommand.DescribePricing(), probe.ref().narrow()),
        OrgCommand.Stop.INSTANCE);
    messages.forEach(m -> assertEquals(m, roundTrip(m)));
  }

  @Test
  void anAskFromANodeThatPredatesRepeatedAsksIsAFirstAsk() throws Exception {
    AdmitRequest ask = new AdmitRequest("req", "k", "hash", "x", 1, 0, new HoldBasis(null, 5, 6), 99);
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(ask);
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    ObjectNode fields = (ObjectNode) cbor.readTree(serialization.serialize(ask).get());
    fields.remove("attempt"); // as the previous version wrote it
    AdmitRequest decoded = (AdmitRequest) serialization.deserialize(cbor.writeValueAsBytes(fields), serializer.identifier(),
        Serializers.manifestFor(serializer, ask)).get();
    assertEquals("req", decoded.requestId());
    assertFalse(decoded.repeated());
  }

  @Test
  void repliesRoundTrip() {
    RateLimitStatus status = new RateLimitStatus(10L, 9, null, 0, 60_000);
    OrgBook book = OrgBook.EMPTY.apply(new OrgEvent.OrgCreated(new OrgProfile("acme", "Acme", 1), Limits.UNLIMITED));
    List<Object> replies = List.of(
        new Admission.Admitted(new ReservationId(1, 2), 3, status, OrgPricing.DEFAULT),
        new Admission.Admitted(new ReservationId(1, 2), 3, status, PRICING),
        new AdminReply.PricingDescription(PRICING),
        new Admission.Denied(DenialReason.MONTHLY_BUDGET, "no", 5, status),
        new Admission.Denied(DenialReason.UNKNOWN_KEY, "no", 0, null),
        new UsageAck(new ReservationId(1, 2)),
        new QuotaView("acme", true, Limits.UNLIMITED, book.month(), 1, 2, 3, 4),
        new AdminReply.OrgDescription(book.profile(), Limits.UNLIMITED, 2, null, Limits.UNLIMITED),
        new AdminReply.OrgDescription(book.profile(), Limits.UNLIMITED, 2, "pro", new Limits(500L, null, null, null)),
        new AdminReply.KeyList(List.of(new ApiKey("k", "n", "h", List.of(), 1, 2L).info())),
        new AdminReply.Rejected(AdminReply.Problem.NOT_FOUND, "no"));
    replies.forEach(r -> assertEquals(r, roundTrip(r)));
  }

  @Test
  void eventsAndSnapshotsRoundTrip() {
    List<OrgEvent> events = List.of(
        new OrgEvent.OrgCreated(new OrgProfile("acme", "Acme", 1), new Limits(null, 2L, null, 9L)),
        new OrgEvent.LimitsChanged(Limits.UNLIMITED, 2),
        new OrgEvent.KeyIssued(new ApiKey("k", "n", "h", List.of("a"), 1, null)),
        new OrgEvent.KeyRevoked("k", 3),
        new OrgEvent.UsageRecorded(List.of(RECORD), 4),
        new OrgEvent.RequestsDenied(List.of(new DenialCount(null, DenialReason.UNKNOWN_KEY, 3)), 5, 6),
        new OrgEvent.RequestsDenied(List.of(new DenialCount("k1", DenialReason.DAILY_BUDGET, 1, "team:a")), 5, 6,
            List.of(new Denial("req_2", 5, "k1", "anthropic", "claude-opus-4", DenialReason.DAILY_BUDGET, "team:a",
                "models:claude-opus* daily_budget_usd", new Attribution("a", "s", "c", "team", "u", Map.of("k", "v")))), 7),
        new OrgEvent.ReservationsAbandoned(List.of(new AbandonedReservation("r", new ReservationId(9, 9), "k", 1, 2, 3)), 7),
        new OrgEvent.PriceOverrideSet(new PriceOverride("gpt-4o", TIERED, 8)),
        new OrgEvent.PriceOverrideSet(new PriceOverride("o3", new ModelPrice(1, 2, null, null), 9)),
        new OrgEvent.PriceOverrideRemoved("o3", 10),
        new OrgEvent.UnpricedModelsSet(UnpricedModels.REFUSE, 11),
        new OrgEvent.TimeZoneSet("Europe/Berlin", 12),
        new OrgEvent.PlanApplied(new OrgPlan("pro", 3, new Limits(500L, null, null, null)), 13),
        new OrgEvent.KeyIssued(new ApiKey("t", "n", "h", List.of(), 1, null, null, null, 99L, null, null)),
        new OrgEvent.KeyRotated("k", "h2", 20, 14),
        new OrgEvent.OrgDisabled(15),
        new OrgEvent.SessionClosed("s-42", 16),
        new OrgEvent.OutcomeReported(OUTCOME),
        new OrgEvent.OutcomeReviewed("o-1", false, "alice", 17),
        new OrgEvent.AdminAudited(new AuditEntry("k3v9x2m1q8zp", "acme dashboard", "org_admin",
            "PUT /admin/orgs/acme/limits", 200, "{\"limits\":{}}", "{\"limits\":{\"requests_per_minute\":5}}", 17)),
        new OrgEvent.MarkupSet(125_000L, 18),
        new OrgEvent.WebhookAdded(WEBHOOK),
        new OrgEvent.WebhookAdded(new Webhook("wh_2", "https://b.example/", List.of(), Webhook.SLACK, "whsec_BB", 20)),
        new OrgEvent.WebhookTested("wh_2", 21),
        new OrgEvent.WebhookRemoved("wh_2", 22),
        new OrgEvent.OrgEnabled(16),
        new OrgEvent.BudgetEnforcementSet(true, 17),
        new OrgEvent.BudgetThresholdsCrossed(List.of(new BudgetCrossing("team:a", "models:o3* daily_budget_usd", 80, 8, 10,
            1, 2)), 18),
        new OrgEvent.LimitsCrossed(List.of(new LimitCrossing("org:acme", "monthly_requests", false, 50, 5, 10, 1, 2),
            new LimitCrossing("team:a", "tokens_per_day", true, 100, 11, 10, 1, 2)), 19),
        new OrgEvent.AlertsConfigured(new AlertPolicy(List.of(90, 50), 60, 5, Map.of(AnomalyGrade.HIGH,
            AnomalyAction.BLOCK), 15), 20),
        new OrgEvent.AnomaliesDetected(List.of(new Anomaly("agent:bot", Anomaly.SPEND, AnomalyGrade.HIGH, 900, 100, 50,
            0, 60_000, AnomalyAction.BLOCK, "agent:bot", Long.MAX_VALUE), new Anomaly("org:acme", Anomaly.REQUESTS,
            AnomalyGrade.LOW, 30_000, 9_000, 4_500, 0, 60_000, AnomalyAction.RECORD, null, null)), 21),
        new OrgEvent.AnomaliesDetected(List.of(new Anomaly("key:k", Anomaly.SPEND, AnomalyGrade.CRITICAL, 900, 100, 50,
            0, 60_000, AnomalyAction.BLOCK, "key:k", Long.MAX_VALUE)), 22),
        new OrgEvent.BlockLifted("key:k", 23),
        new OrgEvent.RateLimitsHit(List.of(new RateLimitHit("key:k1", DenialReason.REQUESTS_PER_MINUTE, 12, 60_000)), 24));
    OrgBook book = OrgBook.EMPTY;
    for (OrgEvent e : events) {
      assertEquals(e, roundTrip(e));
      book = book.apply(e);
    }
    assertEquals(book, roundTrip(book), "the snapshot of a book with keys, totals, settlements and pricing");
    assertEquals(UnpricedModels.REFUSE, book.pricing().unpricedModels());
    assertEquals(TIERED, book.pricing().overrideFor("GPT-4o").price());
    assertEquals(500L, book.orgLimits().requestsPerMinute(), "the plan's limit under the org's own");
    assertEquals(null, book.limits().requestsPerMinute(), "the org's own limits stay its own");
    assertEquals("h2", book.keys().get("k").secretHash());
    assertEquals(99L, book.keys().get("t").expiresAtMillis());
    assertEquals(false, book.profile().disabled());
    assertEquals(true, book.profile().stopStreams());
    assertEquals(java.util.Set.of("wh_1"), book.alerts().webhooks().keySet(), "webhooks added and removed");
    assertEquals("whsec_AA", book.alerts().webhooks().get("wh_1").secret());
    assertEquals(List.of(50, 90), book.alerts().policy().thresholds(), "the org's own thresholds, in order");
    assertEquals(AnomalyAction.RECORD, book.alerts().policy().action(AnomalyGrade.CRITICAL), "a grade not named records");
    assertEquals(java.util.Set.of("agent:bot"), book.alerts().blocks().keySet(), "blocks decided and lifted");
    assertEquals(1, book.alerts().baselines().get("org:acme").requests(), "the usage counted toward the baselines");
  }

  @Test
  void planEventsAndTheirBookRoundTrip() {
    List<PlanEvent> events = List.of(new PlanEvent.PlanSet("pro", new Limits(500L, null, null, null), 1),
        new PlanEvent.OrgPlanChanged("acme", "pro", 2), new PlanEvent.OrgPlanChanged("beta", null, 3),
        new PlanEvent.PlansDelivered(2));
    PlanBook book = PlanBook.EMPTY;
    for (PlanEvent e : events) {
      assertEquals(e, roundTrip(e));
      book = book.apply(e);
    }
    assertEquals(book, roundTrip(book));
    assertEquals(new AdminCommand.ApplyPlan(book.planOf("acme")), roundTrip(new AdminCommand.ApplyPlan(book.planOf("acme"))));
  }

  @Test
  void theLedgersPersistenceIdIsTheOneJournalsAlreadyHold() {
    // Journals written since the first release hold "org|<id>"; a change here would orphan every org's history.
    assertEquals("org|acme-eu", OrgLedger.persistenceId("acme-eu").id());
    assertEquals(org.apache.pekko.persistence.typed.PersistenceId.of("org", "acme-eu").id(), OrgLedger.persistenceId("acme-eu").id());
    assertEquals("acme-eu", io.tollgate.protocol.org.OrgIds.ofPersistenceId(OrgLedger.persistenceId("acme-eu").id()));
  }
}
