package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/** The org's answer to an {@link AdmitRequest}. */
public sealed interface Admission extends CborSerializable {
  /**
   * Go ahead; settle with this reservation when done.
   *
   * @param pricing the org's own prices (usually none), for pricing whatever model the provider reports
   * @param attribution who the request is for, the key's binds applied: what its record names
   * @param overLimits the soft and shadow limits it passes, for its record ({@code soft team:research monthly_budget_usd})
   * @param stopAtNanos for an org that ends streams at a budget: the cost at which this request's stream is
   *     ended (its hold plus what the tightest budget has left); null: never
   * @param model the model to serve the request with in place of the one it names (a scope's budget passed its
   *     downgrade share); null: the one it names
   * @param fallbacks the models to try, in order, when the first cannot serve (the request's own, its key's or
   *     its org's); the hold covers the dearest
   * @param pii what to do with personal data in its prompt (its key's or its org's policy); null: nothing
   * @param cacheTtlSeconds how long its answer is cached (its key's or its org's policy); null: not cached
   */
  record Admitted(ReservationId reservation, long admittedAtMillis, RateLimitStatus limits, OrgPricing pricing,
      Attribution attribution, List<String> overLimits, Long stopAtNanos, String model, List<String> fallbacks,
      PiiMode pii, Long cacheTtlSeconds)
      implements Admission {
    public Admitted {
      overLimits = overLimits == null ? List.of() : List.copyOf(overLimits);
      fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    public Admitted(ReservationId reservation, long admittedAtMillis, RateLimitStatus limits, OrgPricing pricing,
        Attribution attribution, List<String> overLimits, Long stopAtNanos) {
      this(reservation, admittedAtMillis, limits, pricing, attribution, overLimits, stopAtNanos, null, null, null, null);
    }

    public Admitted(ReservationId reservation, long admittedAtMillis, RateLimitStatus limits, OrgPricing pricing) {
      this(reservation, admittedAtMillis, limits, pricing, null, null, null);
    }

    public Admitted(ReservationId reservation, long admittedAtMillis, RateLimitStatus limits, OrgPricing pricing,
        Attribution attribution, List<String> overLimits) {
      this(reservation, admittedAtMillis, limits, pricing, attribution, overLimits, null);
    }
  }

  /** The key is good for this model; nothing reserved or counted (calls the gateway passes through unmetered). */
  record Authenticated() implements Admission {}

  /** The key is good; it may use these models (patterns, a trailing {@code *} a prefix; empty: any). */
  record ModelAccess(List<String> allowedModels) implements Admission {
    public ModelAccess {
      allowedModels = List.copyOf(allowedModels);
    }
  }

  /**
   * Refused; the message is safe to show to the caller. {@code limits} is null when no key was recognized;
   * {@code scope} names the scope whose limit refused it ({@code team:research}), null when no limit did.
   */
  record Denied(DenialReason reason, String message, long retryAfterSeconds, RateLimitStatus limits, String scope)
      implements Admission {
    public Denied(DenialReason reason, String message, long retryAfterSeconds, RateLimitStatus limits) {
      this(reason, message, retryAfterSeconds, limits, null);
    }
  }
}
