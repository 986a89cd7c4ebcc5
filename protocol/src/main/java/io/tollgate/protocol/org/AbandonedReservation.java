package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * An admission whose usage never arrived before its reservation expired: its request counts, and what it held
 * stays held against the budget; it has no cost.
 */
public record AbandonedReservation(
    String requestId, ReservationId reservation, String keyId, long admittedAtMillis, long reservedTokens, long reservedCostNanos)
    implements CborSerializable {}
