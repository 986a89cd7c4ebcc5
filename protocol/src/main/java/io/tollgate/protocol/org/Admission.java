package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** The org's answer to an {@link AdmitRequest}. */
public sealed interface Admission extends CborSerializable {
  /**
   * Go ahead; settle with this reservation when done.
   *
   * @param pricing the org's own prices (usually none), for pricing whatever model the provider reports
   */
  record Admitted(ReservationId reservation, long admittedAtMillis, RateLimitStatus limits, OrgPricing pricing)
      implements Admission {}

  /** The key is good for this model; nothing reserved or counted (calls the gateway passes through unmetered). */
  record Authenticated() implements Admission {}

  /** Refused; the message is safe to show to the caller. {@code limits} is null when no key was recognized. */
  record Denied(DenialReason reason, String message, long retryAfterSeconds, RateLimitStatus limits)
      implements Admission {}
}
