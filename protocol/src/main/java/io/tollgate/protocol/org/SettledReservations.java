package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which admissions have been settled (or abandoned), per org-actor incarnation, so a settlement retried
 * after its ack was lost, even across a restart, counts once. An incarnation not heard from for
 * {@link #RETENTION} is forgotten: by then no request of it can still be settling.
 */
public record SettledReservations(Map<Long, Incarnation> incarnations) implements CborSerializable {
  /** Must exceed the longest upstream call plus the settle retry horizon; the node checks this at start. */
  public static final Duration RETENTION = Duration.ofHours(1);

  public static final SettledReservations EMPTY = new SettledReservations(Map.of());

  /** The admission numbers resolved in one incarnation, and when it last resolved one. */
  public record Incarnation(SeqRanges seqs, long lastSeenMillis) implements CborSerializable {}

  public SettledReservations {
    incarnations = Map.copyOf(incarnations);
  }

  public boolean contains(ReservationId id) {
    Incarnation incarnation = incarnations.get(id.incarnation());
    return incarnation != null && incarnation.seqs().contains(id.seq());
  }

  /** These settlements plus {@code ids}, resolved at {@code atMillis}; long-silent incarnations dropped. */
  public SettledReservations with(Collection<ReservationId> ids, long atMillis) {
    Map<Long, List<Long>> byIncarnation = new HashMap<>();
    for (ReservationId id : ids) {
      byIncarnation.computeIfAbsent(id.incarnation(), k -> new ArrayList<>()).add(id.seq());
    }
    Map<Long, Incarnation> next = new HashMap<>();
    long forgetBefore = atMillis - RETENTION.toMillis();
    incarnations.forEach((key, incarnation) -> {
      if (incarnation.lastSeenMillis() >= forgetBefore || byIncarnation.containsKey(key)) {
        next.put(key, incarnation);
      }
    });
    byIncarnation.forEach((key, seqs) -> {
      Incarnation old = next.get(key);
      SeqRanges ranges = old == null ? SeqRanges.EMPTY : old.seqs();
      long[] points = seqs.stream().mapToLong(Long::longValue).toArray();
      next.put(key, new Incarnation(ranges.with(points), Math.max(atMillis, old == null ? atMillis : old.lastSeenMillis())));
    });
    return new SettledReservations(next);
  }
}
