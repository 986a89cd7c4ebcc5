package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** An agent or key stopped for a while after an anomaly: its requests are refused until {@code untilMillis}. */
public record Block(String scope, AnomalyGrade grade, String measure, long atMillis, long untilMillis)
    implements CborSerializable {
  public boolean holds(long now) {
    return now < untilMillis;
  }
}
