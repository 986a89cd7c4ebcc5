package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.org.OrgEvent.KeyIssued;
import io.tollgate.protocol.org.OrgEvent.KeyRevoked;
import io.tollgate.protocol.org.OrgEvent.LimitsChanged;
import io.tollgate.protocol.org.OrgEvent.OrgCreated;
import io.tollgate.protocol.org.OrgEvent.ReservationsAbandoned;
import io.tollgate.protocol.org.OrgEvent.UsageRecorded;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrgBookTest {
  private static final long NOV_30_LATE = Instant.parse("2026-11-30T23:59:30Z").toEpochMilli();
  private static final long DEC_1_EARLY = Instant.parse("2026-12-01T00:00:10Z").toEpochMilli();

  static UsageRecord record(long incarnation, long seq, long admittedAt, TokenUsage tokens, long cost) {
    return new UsageRecord("req-" + seq, new ReservationId(incarnation, seq), "k1", admittedAt, admittedAt + 100,
        "openai", "gpt-4o-mini", 200, Outcome.COMPLETED, tokens, cost, "v1", false, false, Attribution.NONE, "chat", null);
  }

  private static OrgBook created() {
    return OrgBook.EMPTY.apply(new OrgCreated(new OrgProfile("acme", "Acme", 1L), Limits.UNLIMITED));
  }

  @Test
  void keysAreIssuedRevokedAndNeverForgotten() {
    OrgBook book = created().apply(new KeyIssued(new ApiKey("k1", "ci", "hash", List.of("gpt-4o*"), 5L, null)));
    assertTrue(book.exists());
    assertFalse(book.keys().get("k1").revoked());
    assertTrue(book.keys().get("k1").allows("gpt-4o-mini"));
    assertFalse(book.keys().get("k1").allows("o3"));
    book = book.apply(new KeyRevoked("k1", 9L));
    assertEquals(9L, book.keys().get("k1").revokedAtMillis());
    assertSame(book, book.apply(new KeyRevoked("k1", 10L)), "revoking twice keeps the first time");
    assertSame(book, book.apply(new KeyRevoked("nope", 10L)));
  }

  @Test
  void usageAddsUpPerMonthAndANewMonthStartsFromZero() {
    OrgBook book = created().apply(new UsageRecorded(List.of(
        record(1, 1, NOV_30_LATE, new TokenUsage(100, 20, 40, 0, 5L), 1_000),
        record(1, 2, NOV_30_LATE, new TokenUsage(10, 2, 0, 0, null), 300)), NOV_30_LATE + 1_000));
    MonthTotals nov = book.month();
    assertEquals("2026-11", nov.period());
    assertEquals(2, nov.requests());
    assertEquals(110, nov.inputTokens());
    assertEquals(22, nov.outputTokens());
    assertEquals(40, nov.cacheReadTokens());
    assertEquals(5, nov.reasoningTokens());
    assertEquals(1_300, nov.costNanos());

    book = book.apply(new UsageRecorded(List.of(record(1, 3, DEC_1_EARLY, TokenUsage.of(1, 1), 7)), DEC_1_EARLY));
    assertEquals("2026-12", book.month().period());
    assertEquals(1, book.month().requests());
    assertEquals(7, book.month().costNanos());

    OrgBook late = book.apply(new UsageRecorded(
        List.of(record(1, 4, NOV_30_LATE, TokenUsage.of(1, 1), 50)), DEC_1_EARLY + 5));
    assertEquals(book.month(), late.month(), "a November request settled in December is not December's spend");
    assertTrue(late.settled().contains(new ReservationId(1, 4)));
  }

  @Test
  void theMinuteTallyFollowsTheLatestMinute() {
    long t = Instant.parse("2026-11-22T10:00:05Z").toEpochMilli();
    OrgBook book = created().apply(new UsageRecorded(List.of(
        record(1, 1, t, TokenUsage.of(10, 5), 0), record(1, 2, t + 1000, TokenUsage.of(1, 1), 0)), t + 2000));
    assertEquals(new MinuteTally(UtcPeriods.minuteOf(t), 2, 17), book.minute());
    book = book.apply(new UsageRecorded(List.of(record(1, 3, t + 60_000, TokenUsage.of(3, 3), 0)), t + 61_000));
    assertEquals(new MinuteTally(UtcPeriods.minuteOf(t) + 1, 1, 6), book.minute());
  }

  @Test
  void settlementsAreRememberedPerIncarnationAndForgottenAfterRetention() {
    long t = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    OrgBook book = created().apply(new UsageRecorded(List.of(record(7, 1, t, TokenUsage.ZERO, 0)), t));
    book = book.apply(new ReservationsAbandoned(
        List.of(new AbandonedReservation("r", new ReservationId(8, 3), "k1", t, 10, 10)), t));
    assertTrue(book.settled().contains(new ReservationId(7, 1)));
    assertTrue(book.settled().contains(new ReservationId(8, 3)));
    assertFalse(book.settled().contains(new ReservationId(7, 2)));
    assertEquals(2, book.month().requests(), "an abandoned admission still counts as a request");

    long later = t + SettledReservations.RETENTION.toMillis() + 1;
    book = book.apply(new UsageRecorded(List.of(record(9, 1, later, TokenUsage.ZERO, 0)), later));
    assertFalse(book.settled().contains(new ReservationId(7, 1)));
    assertNotNull(book.settled().incarnations().get(9L));
    assertEquals(1, book.settled().incarnations().size());
  }

  @Test
  void limitsChange() {
    Limits limits = new Limits(10L, null, 100L, 5_000_000_000L);
    assertEquals(limits, created().apply(new LimitsChanged(limits, 3L)).limits());
  }
}
