package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** The usage of this reservation is in the journal (now, or from an earlier attempt). */
public record UsageAck(ReservationId reservation) implements CborSerializable {}
