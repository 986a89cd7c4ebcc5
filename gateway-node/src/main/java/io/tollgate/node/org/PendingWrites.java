package io.tollgate.node.org;

import io.tollgate.node.org.OrgAccount.Write;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.RateLimitHit;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.provider.ErrorKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the org has accepted and the journal does not have yet: settled usage, abandoned holds, denial counts,
 * notices for webhooks (limits crossed, anomalies, rate limits hit per minute) and at most one admin change.
 * Handed out as one {@link Write} at a time; each accepted id stays "not yet durable" until the write that
 * carries it completes, so a repeated settlement is answered with that write.
 */
final class PendingWrites {
  private record DenialKey(String keyId, DenialReason reason, String scope) {}

  private final int maxBatch;
  private final long maxLagMillis;
  private final LongSupplier elapsedMillis;

  private final List<UsageRecord> usage = new ArrayList<>();
  private final List<AbandonedReservation> abandoned = new ArrayList<>();
  private final Map<DenialKey, Long> denials = new HashMap<>();
  /** Refusals in detail, at most a batch's worth per write: a flood of them must not grow the org's heap. */
  private final List<Denial> denialDetails = new ArrayList<>();
  private long denialDetailsDropped;
  private long denialsSince;
  private OrgEvent admin;
  private final List<OrgEvent> notices = new ArrayList<>();
  private final RateLimitHits rateLimitHits = new RateLimitHits();
  private final Set<ReservationId> notYetDurable = new HashSet<>();
  private List<ReservationId> writing;
  /** When the write in flight was handed out, on {@link #elapsedMillis}: a wall clock may jump, this may not. */
  private long writingSince;

  /** {@code elapsedMillis} is a monotonic clock that times the write in flight. */
  PendingWrites(OrgSettings settings, LongSupplier elapsedMillis) {
    this.maxBatch = settings.maxBatch();
    this.maxLagMillis = settings.maxJournalLag().toMillis();
    this.elapsedMillis = elapsedMillis;
  }

  void usage(UsageRecord record) {
    usage.add(record);
    notYetDurable.add(record.reservation());
  }

  void abandoned(AbandonedReservation hold) {
    abandoned.add(hold);
    notYetDurable.add(hold.reservation());
  }

  /**
   * A refusal, counted; its {@code detail} (null for none) is made and kept while there is room, else counted as
   * dropped: a flood of refusals allocates nothing past the bound.
   */
  void denied(long now, String keyId, DenialReason reason, String scope, Supplier<Denial> detail) {
    if (denials.isEmpty()) {
      denialsSince = now;
    }
    denials.merge(new DenialKey(keyId, reason, scope), 1L, Long::sum);
    if (scope != null && reason.errorKind() == ErrorKind.RATE_LIMITED && reason != DenialReason.TOO_MANY_SCOPE_VALUES) {
      rateLimitHits.hit(scope, reason, now);
    }
    if (detail != null) {
      if (denialDetails.size() < maxBatch) {
        denialDetails.add(detail.get());
      } else {
        denialDetailsDropped++;
      }
    }
  }

  /** The admin change to journal next; the entity asks for one only when none is pending. */
  void admin(OrgEvent event) {
    admin = event;
  }

  /** Events for webhooks that the last write gave rise to, to journal with the next. */
  void notice(OrgEvent event) {
    notices.add(event);
  }

  /** The minutes of rate-limit hits that are over become a notice; true if one did. */
  boolean closeMinutes(long now) {
    List<RateLimitHit> hits = rateLimitHits.takeClosed(now);
    if (!hits.isEmpty()) {
      notices.add(new OrgEvent.RateLimitsHit(hits, now));
    }
    return !hits.isEmpty();
  }

  /** True if this id was accepted and the write that makes it durable has not completed. */
  boolean awaitingWrite(ReservationId id) {
    return notYetDurable.contains(id);
  }

  int usageCount() {
    return usage.size();
  }

  boolean any() {
    return admin != null || !usage.isEmpty() || !abandoned.isEmpty() || !denials.isEmpty() || !notices.isEmpty();
  }

  /** True while a full batch waits behind the write in flight, and that write is not overdue. */
  boolean behind() {
    return writing != null && usage.size() >= maxBatch && !overdue();
  }

  /** True while the write in flight has been outstanding longer than the journal may lag. */
  boolean overdue() {
    return writing != null && elapsedMillis.getAsLong() - writingSince > maxLagMillis;
  }

  /** The next write, if nothing is being written and there is something to write. */
  Optional<Write> next(long now) {
    if (writing != null || !any()) {
      return Optional.empty();
    }
    List<OrgEvent> events = new ArrayList<>(4);
    List<ReservationId> ids = new ArrayList<>();
    boolean includesAdmin = admin != null;
    if (includesAdmin) {
      events.add(admin);
      admin = null;
    }
    if (!usage.isEmpty()) {
      int n = Math.min(usage.size(), maxBatch);
      List<UsageRecord> batch = List.copyOf(usage.subList(0, n));
      usage.subList(0, n).clear();
      batch.forEach(r -> ids.add(r.reservation()));
      events.add(new OrgEvent.UsageRecorded(batch, now));
    }
    if (!abandoned.isEmpty()) {
      List<AbandonedReservation> batch = List.copyOf(abandoned);
      abandoned.clear();
      batch.forEach(a -> ids.add(a.reservation()));
      events.add(new OrgEvent.ReservationsAbandoned(batch, now));
    }
    if (!denials.isEmpty()) {
      List<DenialCount> counts = new ArrayList<>(denials.size());
      denials.forEach((k, n) -> counts.add(new DenialCount(k.keyId(), k.reason(), n, k.scope())));
      counts.sort(Comparator.comparing(DenialCount::reason).thenComparing(c -> String.valueOf(c.keyId())));
      events.add(new OrgEvent.RequestsDenied(counts, denialsSince, now, List.copyOf(denialDetails), denialDetailsDropped));
      denials.clear();
      denialDetails.clear();
      denialDetailsDropped = 0;
    }
    if (!notices.isEmpty()) {
      events.addAll(notices);
      notices.clear();
    }
    writing = ids;
    writingSince = elapsedMillis.getAsLong();
    return Optional.of(new Write(events, ids, includesAdmin));
  }

  /** The write handed out last is durable. */
  void written() {
    if (writing != null) {
      writing.forEach(notYetDurable::remove);
      writing = null;
    }
  }
}
