package io.tollgate.node.org;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How an org actor batches its journal and keeps its holds.
 *
 * @param maxBatch most usage records in one journal write; while a full batch waits behind the write in flight,
 *     admissions wait for the journal (back-pressure)
 * @param flushDelay how long records wait for company before a write when the journal is idle
 * @param maxUnjournaled settled records held while the journal lags; beyond this, admissions get 503
 * @param maxJournalLag how long a journal write may be outstanding before admissions get 503: an overloaded
 *     journal sheds new requests early instead of letting writes queue until they time out
 * @param holdTtl how long an admission may go unsettled before it is journaled as abandoned; longer
 *     than any request can take, settle retries included
 * @param sweepInterval how often expired holds are looked for
 * @param snapshotEvery events between snapshots of the org's book
 * @param stashCapacity commands held while the org recovers, and admissions held while its journal catches up
 * @param passivateAfter how long an org actor may sit idle before it stops (its state stays in the journal)
 * @param maxTrackedValues scope values (keys, teams, customers, users, agents) an org keeps counters for
 */
public record OrgSettings(
    int maxBatch,
    Duration flushDelay,
    int maxUnjournaled,
    Duration maxJournalLag,
    Duration holdTtl,
    Duration sweepInterval,
    int snapshotEvery,
    int stashCapacity,
    Duration passivateAfter,
    int maxTrackedValues) {

  /** From {@code tollgate.org}; {@code holdTtl} follows from the request timeouts. */
  public static OrgSettings from(Config org, Duration holdTtl) {
    OrgSettings settings = new OrgSettings(org.getInt("max-batch"), org.getDuration("flush-delay"),
        org.getInt("max-unjournaled"), org.getDuration("max-journal-lag"), holdTtl, org.getDuration("sweep-interval"),
        org.getInt("snapshot-every"), org.getInt("stash-capacity"), org.getDuration("passivate-after"),
        org.getInt("max-tracked-values"));
    if (settings.passivateAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_ORG_PASSIVATE_AFTER must be at least 1s.");
    }
    if (settings.maxBatch < 1 || settings.maxUnjournaled < settings.maxBatch || settings.snapshotEvery < 1
        || settings.stashCapacity < 1 || settings.maxTrackedValues < 1) {
      throw new IllegalArgumentException("TOLLGATE_ORG_MAX_BATCH, TOLLGATE_ORG_SNAPSHOT_EVERY, TOLLGATE_ORG_STASH_CAPACITY"
          + " and TOLLGATE_ORG_MAX_TRACKED_VALUES must be at least 1, and TOLLGATE_ORG_MAX_UNJOURNALED at least TOLLGATE_ORG_MAX_BATCH.");
    }
    return settings;
  }
}
