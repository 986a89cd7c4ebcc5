package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * Names one admission. The org actor picks a random {@code incarnation} each time it starts and numbers its
 * admissions from 1, so settlements can be deduplicated with ranges of numbers instead of a set of ids.
 */
public record ReservationId(long incarnation, long seq) implements CborSerializable {}
