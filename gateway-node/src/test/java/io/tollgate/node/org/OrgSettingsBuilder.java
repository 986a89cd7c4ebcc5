package io.tollgate.node.org;

import java.time.Duration;

/** Builds {@link OrgSettings} for tests by name; the defaults are small so a test reaches a limit in a few steps. */
final class OrgSettingsBuilder {
  private int maxBatch = 3;
  private Duration flushDelay = Duration.ofMillis(5);
  private int maxUnjournaled = 10;
  private Duration maxJournalLag = Duration.ofSeconds(3);
  private Duration holdTtl = Duration.ofMinutes(15);
  private Duration sweepInterval = Duration.ofSeconds(30);
  private int snapshotEvery = 100;
  private int stashCapacity = 100;
  private Duration passivateAfter = Duration.ofMinutes(2);
  private int maxTrackedValues = 100;

  static OrgSettingsBuilder orgSettings() {
    return new OrgSettingsBuilder();
  }

  OrgSettingsBuilder maxBatch(int value) {
    maxBatch = value;
    return this;
  }

  OrgSettingsBuilder maxUnjournaled(int value) {
    maxUnjournaled = value;
    return this;
  }

  OrgSettingsBuilder maxJournalLag(Duration value) {
    maxJournalLag = value;
    return this;
  }

  OrgSettingsBuilder holdTtl(Duration value) {
    holdTtl = value;
    return this;
  }

  OrgSettingsBuilder maxTrackedValues(int value) {
    maxTrackedValues = value;
    return this;
  }

  OrgSettings build() {
    return new OrgSettings(maxBatch, flushDelay, maxUnjournaled, maxJournalLag, holdTtl, sweepInterval,
        snapshotEvery, stashCapacity, passivateAfter, maxTrackedValues);
  }
}
