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
  void theOrgsTimeZoneDecidesItsMonthAndAChangeTakesEffectFromTheNextPeriod() {
    long tokyoDec1 = Instant.parse("2026-11-30T16:00:00Z").toEpochMilli(); // 1 December, 01:00 in Tokyo
    OrgBook book = OrgBook.EMPTY.apply(new OrgCreated(new OrgProfile("acme", "Acme", 1L, "Asia/Tokyo"), Limits.UNLIMITED))
        .apply(new UsageRecorded(List.of(record(1, 1, tokyoDec1, TokenUsage.of(1, 1), 5)), tokyoDec1));
    assertEquals("2026-12", book.month().period(), "December already in Tokyo");
    assertEquals(Instant.parse("2026-11-30T15:00:00Z").toEpochMilli(),
        book.scopes().of("org:acme").at(Window.DAY, tokyoDec1).start());

    OrgBook utc = book.apply(new OrgEvent.TimeZoneSet(null, tokyoDec1 + 1));
    assertEquals(Periods.UTC, utc.periods());
    assertEquals("UTC", utc.profile().zoneName());
    utc = utc.apply(new UsageRecorded(List.of(record(1, 2, tokyoDec1 + 2, TokenUsage.of(1, 1), 7)), tokyoDec1 + 3));
    Tally org = utc.scopes().of("org:acme");
    assertEquals(2, org.at(Window.DAY, tokyoDec1 + 2).requests(), "the Tokyo day in progress goes on");
    assertEquals(Instant.parse("2026-12-01T15:00:00Z").toEpochMilli(), org.at(Window.DAY, tokyoDec1 + 2).end());
    assertEquals("2026-12", utc.month().period(), "the Tokyo month in progress goes on too");
    assertEquals(12, utc.month().costNanos());
  }

  private static UsageRecord forTeam(long seq, long admittedAt, String team, String model, long cost) {
    return new UsageRecord("req-" + seq, new ReservationId(1, seq), "k1", admittedAt, admittedAt + 100, "openai", model,
        200, Outcome.COMPLETED, TokenUsage.of(10, 5), cost, "v1", false, false,
        new Attribution("bot", null, null, team, null, null), "chat", null);
  }

  @Test
  void everyScopeARequestFallsInCountsItInEachWindow() {
    long t = Instant.parse("2026-11-22T10:00:05Z").toEpochMilli();
    OrgBook book = created().apply(new UsageRecorded(List.of(
        forTeam(1, t, "research", "gpt-4o", 100), forTeam(2, t + 1000, "ops", "gpt-4o", 30)), t + 2000));
    for (String scope : List.of("org:acme", "key:k1", "agent:bot")) {
      Tally tally = book.scopes().of(scope);
      assertEquals(2, tally.at(Window.MINUTE, t).requests(), scope);
      assertEquals(30, tally.at(Window.DAY, t).tokens(), scope);
      assertEquals(130, tally.at(Window.MONTH, t).costNanos(), scope);
    }
    assertEquals(100, book.scopes().of("team:research").at(Window.MONTH, t).costNanos());
    assertEquals(30, book.scopes().of("team:ops").at(Window.MONTH, t).costNanos());

    book = book.apply(new UsageRecorded(List.of(forTeam(3, t + 60_000, "ops", "gpt-4o", 1)), t + 61_000));
    Tally org = book.scopes().of("org:acme");
    assertEquals(1, org.at(Window.MINUTE, t + 60_000).requests(), "a new minute starts from zero");
    assertEquals(3, org.at(Window.HOUR, t + 60_000).requests(), "the hour goes on");
    assertEquals(0, org.at(Window.MINUTE, t + 120_000).requests(), "an ended minute counts nothing");
  }

  @Test
  void aKeysBindsDecideItsScopeAndModelPatternsCountApart() {
    long t = Instant.parse("2026-11-22T10:00:05Z").toEpochMilli();
    Limits opus = new Limits(null, null, null, 1_000L);
    OrgBook book = created()
        .apply(new KeyIssued(new ApiKey("k1", "ci", "h", List.of(), 1L, null, null, java.util.Map.of("team", "research"))))
        .apply(new OrgEvent.ScopeLimitsSet("team:*", new Limits(null, null, null, null, null, null, null, null, null,
            java.util.Map.of("claude-opus*", opus), null), t))
        .apply(new UsageRecorded(List.of(forTeam(1, t, "ops", "claude-opus-4", 70), forTeam(2, t, "ops", "gpt-4o", 5)),
            t + 10));
    Tally research = book.scopes().of("team:research");
    assertEquals(2, research.at(Window.DAY, t).requests(), "the key's team, whatever the header said");
    assertEquals(0, book.scopes().of("team:ops").at(Window.DAY, t).requests());
    assertEquals(70, research.model("claude-opus*").at(Window.MONTH, t).costNanos());
    assertEquals(1, research.model("claude-opus*").at(Window.MONTH, t).requests());
  }

  @Test
  void atTheCapANewValueIsNotTrackedAndAnEndedMonthIsDropped() {
    long t = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();
    OrgBook book = created();
    int cap = 3; // the org, key:k1 and agent:bot take two of them... the org's own slot is extra
    book = book.apply(new UsageRecorded(List.of(forTeam(1, t, "a", "m", 1), forTeam(2, t, "b", "m", 1)), t), cap);
    assertEquals(4, book.scopes().size(), "org + key + agent + team a");
    assertEquals(0, book.scopes().of("team:b").at(Window.MONTH, t).requests());
    assertEquals(2, book.scopes().of("org:acme").at(Window.MONTH, t).requests(), "the org counts everything");

    long december = Instant.parse("2026-12-01T00:00:01Z").toEpochMilli();
    book = book.apply(new UsageRecorded(List.of(
        new UsageRecord("req-9", new ReservationId(1, 9), null, december, december, "openai", "m", 200,
            Outcome.COMPLETED, TokenUsage.ZERO, 0, "v1", false, false, Attribution.NONE, "chat", null)), december), cap);
    assertEquals(1, book.scopes().size(), "only the org was seen in December");
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
