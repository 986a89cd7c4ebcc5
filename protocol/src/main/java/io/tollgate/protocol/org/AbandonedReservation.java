package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * An admission whose usage never arrived before its reservation expired: its request counts, and what it held
 * stays held against the budget; it has no cost.
 *
 * @param attribution who it was for (the key's binds applied), so it counts in the same scopes as it was held in;
 *     null in journals written before scopes existed
 * @param model the requested model, for the limits of model patterns; null likewise
 */
public record AbandonedReservation(
    String requestId, ReservationId reservation, String keyId, long admittedAtMillis, long reservedTokens,
    long reservedCostNanos, Attribution attribution, String model)
    implements CborSerializable {

  /** An abandoned hold for no one in particular (tests). */
  public AbandonedReservation(String requestId, ReservationId reservation, String keyId, long admittedAtMillis,
      long reservedTokens, long reservedCostNanos) {
    this(requestId, reservation, keyId, admittedAtMillis, reservedTokens, reservedCostNanos, null, null);
  }
}
