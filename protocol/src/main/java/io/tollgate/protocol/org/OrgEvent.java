package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/** Everything journaled about an org. Usage and denials are journaled in batches, never one per request. */
public sealed interface OrgEvent extends CborSerializable {
  record OrgCreated(OrgProfile profile, Limits limits) implements OrgEvent {}

  record LimitsChanged(Limits limits, long atMillis) implements OrgEvent {}

  record KeyIssued(ApiKey key) implements OrgEvent {}

  record KeyRevoked(String keyId, long atMillis) implements OrgEvent {}

  record UsageRecorded(List<UsageRecord> records, long atMillis) implements OrgEvent {}

  /**
   * Refusals since the last write: counted per key, reason and scope, and each of a known key in detail
   * ({@code details}), up to a bound per write; {@code detailsDropped} past it (counted all the same).
   */
  record RequestsDenied(List<DenialCount> denials, long fromMillis, long toMillis, List<Denial> details,
      long detailsDropped) implements OrgEvent {
    public RequestsDenied {
      details = details == null ? List.of() : details;
    }

    /** Counts only. */
    public RequestsDenied(List<DenialCount> denials, long fromMillis, long toMillis) {
      this(denials, fromMillis, toMillis, List.of(), 0);
    }
  }

  record ReservationsAbandoned(List<AbandonedReservation> reservations, long atMillis) implements OrgEvent {}

  record PriceOverrideSet(PriceOverride override) implements OrgEvent {}

  record PriceOverrideRemoved(String model, long atMillis) implements OrgEvent {}

  record UnpricedModelsSet(UnpricedModels policy, long atMillis) implements OrgEvent {}

  /** Limits for one value of a team, customer, user or agent, or for its scope's {@code *} default. */
  record ScopeLimitsSet(String scope, Limits limits, long atMillis) implements OrgEvent {}

  record ScopeLimitsRemoved(String scope, long atMillis) implements OrgEvent {}

  /** The zone of the org's calendar periods from the next period on; null is UTC. */
  record TimeZoneSet(String timeZone, long atMillis) implements OrgEvent {}

  /** The org's plan and its limits from now on (a plan's name of null: on no plan). */
  record PlanApplied(OrgPlan plan, long atMillis) implements OrgEvent {}

  /** Every key of the org is refused from now on, nothing else forgotten. */
  record OrgDisabled(long atMillis) implements OrgEvent {}

  record OrgEnabled(long atMillis) implements OrgEvent {}

  /** Whether streams are ended at a budget ({@code stop_stream}) or budgets are kept by holds alone. */
  record BudgetEnforcementSet(boolean stopStreams, long atMillis) implements OrgEvent {}

  /** The key's new secret; the one before works until {@code previousUntilMillis}. */
  record KeyRotated(String keyId, String secretHash, long previousUntilMillis, long atMillis) implements OrgEvent {}

  /** An admin closed a session: it shows as completed until its next request. Changes nothing of the book. */
  record SessionClosed(String session, long atMillis) implements OrgEvent {}

  /** An application reported a business outcome; the read model keeps the first report of each id. */
  record OutcomeReported(BusinessOutcome outcome) implements OrgEvent {}

  /** An admin change of the org, for its audit trail. */
  record AdminAudited(AuditEntry entry) implements OrgEvent {}

  /** An admin confirmed (or rejected) a reported outcome: only confirmed value counts in the ROI. */
  record OutcomeReviewed(String outcomeId, boolean confirmed, String by, long atMillis) implements OrgEvent {}

  /** The markup of the org's invoices from now on, in millionths; null for none. */
  record MarkupSet(Long markupPpm, long atMillis) implements OrgEvent {}

  /** A key's own limits; null removes them. */
  record KeyLimitsSet(String keyId, Limits limits, long atMillis) implements OrgEvent {}

  /** A webhook added. Its secret is kept here: every delivery, on any node, is signed with it. */
  record WebhookAdded(Webhook webhook) implements OrgEvent {}

  /** A webhook removed: nothing more is queued for it; what was queued is still delivered. */
  record WebhookRemoved(String webhookId, long atMillis) implements OrgEvent {}

  /** An admin asked for a test message to one webhook. */
  record WebhookTested(String webhookId, long atMillis) implements OrgEvent {}

  /** Budgets whose spend passed an alert threshold with the write before this one; for webhooks only. */
  record BudgetThresholdsCrossed(List<BudgetCrossing> crossings, long atMillis) implements OrgEvent {}

  /** Request quotas past a threshold and soft limits passed with the write before this one; for webhooks only. */
  record LimitsCrossed(List<LimitCrossing> crossings, long atMillis) implements OrgEvent {}

  /** The org's alert policy replaced: thresholds, anomaly interval, minimum spend, actions, block time. */
  record AlertsConfigured(AlertPolicy policy, long atMillis) implements OrgEvent {}

  /** Intervals that reached an anomaly grade with the write before this one, and the blocks they decided. */
  record AnomaliesDetected(List<Anomaly> anomalies, long atMillis) implements OrgEvent {}

  /** A block lifted by an admin before its time. */
  record BlockLifted(String scope, long atMillis) implements OrgEvent {}

  /** The requests rate limits refused, per scope value, limit and minute, once the minute is over. */
  record RateLimitsHit(List<RateLimitHit> hits, long atMillis) implements OrgEvent {}

  /** The org's policy ({@code keyId} null) or a key's set; an empty key policy removes it. */
  record PolicySet(String keyId, Policy policy, long atMillis) implements OrgEvent {}
}
