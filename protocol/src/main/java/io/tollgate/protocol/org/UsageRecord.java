package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.pricing.Charge;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.List;

/**
 * What one admitted request used and cost. Settled once per reservation.
 *
 * @param admittedAtMillis when the org admitted it; decides the minute and month it counts in
 * @param model the model the upstream reported (or the requested one when it reported none)
 * @param status the HTTP status the client received
 * @param costNanos the exact cost in nano-USD (0 when unpriced)
 * @param pricingVersion the catalog version the cost was computed with
 * @param unpriced true when the catalog had no price for the model
 * @param estimated true when the tokens were counted by the gateway because the upstream reported none
 * @param api which API of the provider was called ({@code chat}, {@code messages}, {@code responses}, ...)
 * @param providerCostNanos the cost the provider itself reported (OpenRouter, xAI), kept beside ours; or null
 * @param overLimits the soft and shadow limits the request passed ({@code soft team:research monthly_budget_usd})
 * @param latencyMillis from the request's arrival to its record: the whole time the caller waited and read;
 *     null in records journaled before it was kept
 * @param upstreamMillis from calling the provider to its answer's headers; null if no answer came (or, as
 *     above, in older records)
 * @param charges the terms of {@code costNanos} per token class and rate (empty when unpriced); null in
 *     records journaled before they were kept
 * @param attempts the tries of the call before the one that answered (or, if none did, all of them): retries
 *     on another deployment and fallbacks to other models; null when the first try answered
 * @param savedCostNanos for an answer served from the response cache (at no cost): what it cost when it was
 *     made; null for any other
 */
public record UsageRecord(
    String requestId,
    ReservationId reservation,
    String keyId,
    long admittedAtMillis,
    long finishedAtMillis,
    String provider,
    String model,
    int status,
    Outcome outcome,
    TokenUsage tokens,
    long costNanos,
    String pricingVersion,
    boolean unpriced,
    boolean estimated,
    Attribution attribution,
    String api,
    Long providerCostNanos,
    List<String> overLimits,
    Long latencyMillis,
    Long upstreamMillis,
    List<Charge> charges,
    List<UpstreamAttempt> attempts,
    Long savedCostNanos)
    implements CborSerializable {

  public UsageRecord {
    overLimits = overLimits == null ? List.of() : List.copyOf(overLimits);
    charges = charges == null ? null : List.copyOf(charges);
    attempts = attempts == null || attempts.isEmpty() ? null : List.copyOf(attempts);
  }

  /** A record whose first try answered. */
  public UsageRecord(String requestId, ReservationId reservation, String keyId, long admittedAtMillis,
      long finishedAtMillis, String provider, String model, int status, Outcome outcome, TokenUsage tokens,
      long costNanos, String pricingVersion, boolean unpriced, boolean estimated, Attribution attribution, String api,
      Long providerCostNanos, List<String> overLimits, Long latencyMillis, Long upstreamMillis, List<Charge> charges) {
    this(requestId, reservation, keyId, admittedAtMillis, finishedAtMillis, provider, model, status, outcome, tokens,
        costNanos, pricingVersion, unpriced, estimated, attribution, api, providerCostNanos, overLimits, latencyMillis,
        upstreamMillis, charges, null, null);
  }

  /** A record over no limit, its times not kept. */
  public UsageRecord(String requestId, ReservationId reservation, String keyId, long admittedAtMillis,
      long finishedAtMillis, String provider, String model, int status, Outcome outcome, TokenUsage tokens,
      long costNanos, String pricingVersion, boolean unpriced, boolean estimated, Attribution attribution, String api,
      Long providerCostNanos) {
    this(requestId, reservation, keyId, admittedAtMillis, finishedAtMillis, provider, model, status, outcome, tokens,
        costNanos, pricingVersion, unpriced, estimated, attribution, api, providerCostNanos, null, null, null, null);
  }

  /**
   * True when the provider served the request: it completed, or used tokens or money. A request the
   * provider refused (its 429 or 5xx) or never reached is on record but counts in no request quota, so a
   * client's retry of a provider's 429 is not counted twice.
   */
  public boolean served() {
    return outcome == Outcome.COMPLETED || tokens.total() > 0 || costNanos > 0;
  }
}
