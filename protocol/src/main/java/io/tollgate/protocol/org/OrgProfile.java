package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * @param timeZone the IANA zone of the org's calendar periods (its days and months); null is UTC
 * @param disabledAtMillis when it was disabled, every key refused since; null while it is enabled
 * @param stopStreams true when a stream whose running cost reaches a budget is ended by the gateway
 *     ({@code budget_enforcement: stop_stream}); false: budgets are kept by holds alone
 */
public record OrgProfile(String id, String name, long createdAtMillis, String timeZone, Long disabledAtMillis,
    boolean stopStreams) implements CborSerializable {
  public OrgProfile(String id, String name, long createdAtMillis) {
    this(id, name, createdAtMillis, null, null, false);
  }

  public OrgProfile(String id, String name, long createdAtMillis, String timeZone) {
    this(id, name, createdAtMillis, timeZone, null, false);
  }

  public OrgProfile withTimeZone(String zone) {
    return new OrgProfile(id, name, createdAtMillis, zone, disabledAtMillis, stopStreams);
  }

  public OrgProfile disabledAt(Long atMillis) {
    return new OrgProfile(id, name, createdAtMillis, timeZone, atMillis, stopStreams);
  }

  public OrgProfile withStopStreams(boolean stop) {
    return new OrgProfile(id, name, createdAtMillis, timeZone, disabledAtMillis, stop);
  }

  public boolean disabled() {
    return disabledAtMillis != null;
  }

  /** The time zone's name, {@code UTC} when none was set. */
  public String zoneName() {
    return timeZone == null ? "UTC" : timeZone;
  }
}
