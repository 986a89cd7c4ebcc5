package io.tollgate.node.org;

import static io.tollgate.node.org.OrgSettingsBuilder.orgSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.org.OrgAccount.Write;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingWritesTest {
  private final long[] elapsed = {0};
  private final PendingWrites pending =
      new PendingWrites(orgSettings().maxBatch(3).maxJournalLag(Duration.ofSeconds(3)).build(), () -> elapsed[0]);

  private static UsageRecord usage(long seq) {
    return new UsageRecord("req-" + seq, new ReservationId(1, seq), "k1", 0, 50, "openai", "gpt-4o-mini", 200,
        Outcome.COMPLETED, TokenUsage.of(1, 1), 1, "v", false, false, Attribution.NONE, "chat", null);
  }

  private static List<Long> seqs(Write write) {
    return write.reservations().stream().map(ReservationId::seq).toList();
  }

  @Test
  void nothingPendingIsNoWrite() {
    assertFalse(pending.any());
    assertTrue(pending.next(0).isEmpty());
  }

  @Test
  void usageGoesOutInBatchesOneWriteAtATime() {
    for (long seq = 1; seq <= 5; seq++) {
      pending.usage(usage(seq));
    }
    Write first = pending.next(10).orElseThrow();
    assertEquals(List.of(1L, 2L, 3L), seqs(first), "at most maxBatch records per write");
    assertEquals(List.of(usage(1), usage(2), usage(3)), ((OrgEvent.UsageRecorded) first.events().get(0)).records());
    assertTrue(pending.next(10).isEmpty(), "one write in flight");
    assertTrue(pending.awaitingWrite(new ReservationId(1, 1)));
    assertTrue(pending.awaitingWrite(new ReservationId(1, 5)), "accepted, waiting for a later write");

    pending.written();
    assertFalse(pending.awaitingWrite(new ReservationId(1, 1)), "durable now");
    assertEquals(List.of(4L, 5L), seqs(pending.next(20).orElseThrow()));
    pending.written();
    assertFalse(pending.any());
    assertFalse(pending.awaitingWrite(new ReservationId(1, 5)));
  }

  @Test
  void oneWriteCarriesTheAdminChangeFirstThenUsageAbandonedHoldsAndDenialCounts() {
    OrgEvent limits = new OrgEvent.LimitsChanged(Limits.UNLIMITED, 5);
    pending.admin(limits);
    pending.usage(usage(1));
    pending.abandoned(new AbandonedReservation("req-2", new ReservationId(1, 2), "k1", 0, 10, 500));
    pending.denied(3, "k1", DenialReason.REQUESTS_PER_MINUTE, "team:a", () -> denial("r3", "team:a"));
    pending.denied(4, null, DenialReason.UNKNOWN_KEY, null, null);
    pending.denied(6, "k1", DenialReason.REQUESTS_PER_MINUTE, "team:a", () -> denial("r6", "team:a"));
    pending.denied(6, "k1", DenialReason.REQUESTS_PER_MINUTE, "team:b", () -> denial("r7", "team:b"));
    Write write = pending.next(7).orElseThrow();
    assertTrue(write.includesAdmin());
    assertEquals(limits, write.events().get(0));
    assertInstanceOf(OrgEvent.UsageRecorded.class, write.events().get(1));
    assertInstanceOf(OrgEvent.ReservationsAbandoned.class, write.events().get(2));
    assertEquals(List.of(1L, 2L), seqs(write), "abandoned holds become durable with the write too");
    OrgEvent.RequestsDenied denied = (OrgEvent.RequestsDenied) write.events().get(3);
    assertEquals(Set.of(new DenialCount(null, DenialReason.UNKNOWN_KEY, 1),
        new DenialCount("k1", DenialReason.REQUESTS_PER_MINUTE, 2, "team:a"),
        new DenialCount("k1", DenialReason.REQUESTS_PER_MINUTE, 1, "team:b")), Set.copyOf(denied.denials()),
        "counted per key, reason and the scope that refused");
    assertEquals(3, denied.fromMillis(), "counted from the first denial since the last write");
    assertEquals(7, denied.toMillis());
    assertEquals(List.of(denial("r3", "team:a"), denial("r6", "team:a"), denial("r7", "team:b")), denied.details(),
        "each refusal of a known key in detail, in order; the unknown key's only counted");
    assertEquals(0, denied.detailsDropped());
  }

  @Test
  void aFloodOfRefusalsKeepsABatchOfThemInDetailPerWriteAndCountsTheRestDropped() {
    for (int i = 0; i < 5; i++) {
      String id = "r" + i;
      pending.denied(i, "k1", DenialReason.MONTHLY_BUDGET, null, () -> denial(id, null));
    }
    OrgEvent.RequestsDenied first = (OrgEvent.RequestsDenied) pending.next(9).orElseThrow().events().get(0);
    assertEquals(List.of(new DenialCount("k1", DenialReason.MONTHLY_BUDGET, 5, null)), first.denials(),
        "every refusal counted");
    assertEquals(List.of(denial("r0", null), denial("r1", null), denial("r2", null)), first.details(),
        "at most maxBatch in detail");
    assertEquals(2, first.detailsDropped());
    pending.written();

    pending.denied(10, "k1", DenialReason.MONTHLY_BUDGET, null, () -> denial("r10", null));
    OrgEvent.RequestsDenied second = (OrgEvent.RequestsDenied) pending.next(11).orElseThrow().events().get(0);
    assertEquals(List.of(denial("r10", null)), second.details(), "room again after the write");
    assertEquals(0, second.detailsDropped());
  }

  private static Denial denial(String requestId, String scope) {
    return new Denial(requestId, 1, "k1", "openai", "gpt-4o", DenialReason.REQUESTS_PER_MINUTE, scope,
        "requests_per_minute", Attribution.NONE);
  }

  @Test
  void theJournalIsBehindWhileAFullBatchWaitsBehindTheWriteInFlight() {
    pending.usage(usage(1));
    assertFalse(pending.behind(), "records waiting, but no write in flight: the next write takes them");
    pending.next(0).orElseThrow();
    pending.usage(usage(2));
    pending.usage(usage(3));
    assertFalse(pending.behind(), "less than a batch waiting");
    pending.usage(usage(4));
    assertTrue(pending.behind(), "a full batch waits behind the write in flight");

    elapsed[0] = 3_000;
    assertFalse(pending.overdue(), "a write this old is still normal");
    elapsed[0] = 3_001;
    assertTrue(pending.overdue());
    assertFalse(pending.behind(), "an overdue journal refuses instead of making requests wait");

    pending.written();
    assertFalse(pending.behind(), "the write is done: the waiting batch goes next");
    assertFalse(pending.overdue());
  }
}
