package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * @param timeZone the IANA zone of the org's calendar periods (its days and months); null is UTC
 * @param disabledAtMillis when it was disabled, every key refused since; null while it is enabled
 * @param stopStreams true when a stream whose running cost reaches a budget is ended by the gateway
 *     ({@code budget_enforcement: stop_stream}); false: budgets are kept by holds alone
 * @param markupPpm what a reseller adds to its invoices, in millionths of the amount (150000 is 15 %); null for
 *     none. It is applied to invoices only, never to the recorded cost.
 */
public record OrgProfile(String id, String name, long createdAtMillis, String timeZone, Long disabledAtMillis,
    boolean stopStreams, Long markupPpm) implements CborSerializable {
  public OrgProfile(String id, String name, long createdAtMillis) {
    this(id, name, createdAtMillis, null, null, false, null);
  }

  public OrgProfile(String id, String name, long createdAtMillis, String timeZone) {
    this(id, name, createdAtMillis, timeZone, null, false, null);
  }

  public OrgProfile withTimeZone(String zone) {
    return new OrgProfile(id, name, createdAtMillis, zone, disabledAtMillis, stopStreams, markupPpm);
  }

  public OrgProfile disabledAt(Long atMillis) {
    return new OrgProfile(id, name, createdAtMillis, timeZone, atMillis, stopStreams, markupPpm);
  }

  public OrgProfile withStopStreams(boolean stop) {
    return new OrgProfile(id, name, createdAtMillis, timeZone, disabledAtMillis, stop, markupPpm);
  }

  public OrgProfile withMarkup(Long ppm) {
    return new OrgProfile(id, name, createdAtMillis, timeZone, disabledAtMillis, stopStreams, ppm);
  }

  public boolean disabled() {
    return disabledAtMillis != null;
  }

  /** The time zone's name, {@code UTC} when none was set. */
  public String zoneName() {
    return timeZone == null ? "UTC" : timeZone;
  }
}
