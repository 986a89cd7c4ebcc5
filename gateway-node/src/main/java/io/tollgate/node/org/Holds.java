package io.tollgate.node.org;

import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.PiiMode;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.ReservationId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The holds of requests admitted and not yet settled, withdrawn or abandoned. Live state only, never
 * journaled: a hold's id carries this actor's incarnation, so one from an earlier incarnation is never
 * mistaken for one of these.
 *
 * <p>Invariant: {@code bySeq} and {@code byRequest} hold the same holds (request ids are the gateway's own,
 * one per request), and {@code heldCost} is the sum of their costs. Only {@link #add} and {@link #release}
 * change them.
 */
final class Holds {
  /**
   * What one admitted request holds: its tokens (an estimate) and the most it can cost, in every scope value
   * it was counted in, in the periods it was admitted in.
   */
  record Hold(ReservationId id, String requestId, String keyId, long admittedAt, long tokens, long cost, Grant grant) {}

  /** What the admission granted: where it counts, for whom, and what the requester was told. */
  record Grant(List<ScopeCounters.Counted> counted, Attribution attribution, String model, RateLimitStatus status,
      List<String> overLimits, Long stopAtNanos, String servedBy, List<String> fallbacks, PiiMode pii,
      Long cacheTtlSeconds) {}

  private final long incarnation;
  private long nextSeq = 1;
  private final Map<Long, Hold> bySeq = new HashMap<>();
  private final Map<String, Hold> byRequest = new HashMap<>();
  private long heldCost;

  Holds(long incarnation) {
    this.incarnation = incarnation;
  }

  Hold add(String requestId, String keyId, long admittedAt, long tokens, long cost, Grant grant) {
    Hold hold = new Hold(new ReservationId(incarnation, nextSeq++), requestId, keyId, admittedAt, tokens, cost, grant);
    bySeq.put(hold.id().seq(), hold);
    byRequest.put(requestId, hold);
    heldCost += cost;
    return hold;
  }

  /** The hold given to this request, if it still has one; else null. */
  Hold of(String requestId) {
    return byRequest.get(requestId);
  }

  /** Takes out the hold given to this request; null if it has none. */
  Hold take(String requestId) {
    Hold hold = byRequest.get(requestId);
    return hold == null ? null : release(hold);
  }

  /** Takes out the hold with this id; null if it is not one of these (settled, expired or of another incarnation). */
  Hold take(ReservationId id) {
    Hold hold = id.incarnation() == incarnation ? bySeq.get(id.seq()) : null;
    return hold == null ? null : release(hold);
  }

  /** Takes out every hold admitted before {@code cutoff}. */
  List<Hold> takeAdmittedBefore(long cutoff) {
    List<Hold> old = new ArrayList<>();
    for (Hold hold : bySeq.values()) {
      if (hold.admittedAt() < cutoff) {
        old.add(hold);
      }
    }
    old.forEach(this::release);
    return old;
  }

  int count() {
    return bySeq.size();
  }

  boolean isEmpty() {
    return bySeq.isEmpty();
  }

  /** The most the requests holding can still cost, together. */
  long heldCost() {
    return heldCost;
  }

  private Hold release(Hold hold) {
    bySeq.remove(hold.id().seq());
    byRequest.remove(hold.requestId(), hold);
    heldCost -= hold.cost();
    return hold;
  }
}
