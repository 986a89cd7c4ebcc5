package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** @param timeZone the IANA zone of the org's calendar periods (its days and months); null is UTC */
public record OrgProfile(String id, String name, long createdAtMillis, String timeZone) implements CborSerializable {
  public OrgProfile(String id, String name, long createdAtMillis) {
    this(id, name, createdAtMillis, null);
  }

  public OrgProfile withTimeZone(String zone) {
    return new OrgProfile(id, name, createdAtMillis, zone);
  }

  /** The time zone's name, {@code UTC} when none was set. */
  public String zoneName() {
    return timeZone == null ? "UTC" : timeZone;
  }
}
