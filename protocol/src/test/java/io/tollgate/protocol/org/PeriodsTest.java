package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodsTest {
  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void utcPeriodsStartOnTheirBoundaries() {
    long t = at("2026-11-30T23:59:30.500Z");
    assertEquals(at("2026-11-30T23:59:00Z"), Periods.UTC.start(Window.MINUTE, t));
    assertEquals(at("2026-12-01T00:00:00Z"), Periods.UTC.end(Window.MINUTE, t));
    assertEquals(at("2026-11-30T23:00:00Z"), Periods.UTC.start(Window.HOUR, t));
    assertEquals(at("2026-11-30T00:00:00Z"), Periods.UTC.start(Window.DAY, t));
    assertEquals(at("2026-11-01T00:00:00Z"), Periods.UTC.start(Window.MONTH, t));
    assertEquals(at("2026-12-01T00:00:00Z"), Periods.UTC.end(Window.MONTH, t));
    assertEquals(Periods.UTC, Periods.of("UTC"), "a named UTC is UTC");
  }

  @Test
  void theOrgsTimeZoneDecidesItsDayAndMonth() {
    Periods tokyo = Periods.of("Asia/Tokyo");
    long t = at("2026-11-30T16:00:00Z"); // already 1 December in Tokyo
    assertEquals(at("2026-11-30T15:00:00Z"), tokyo.start(Window.DAY, t));
    assertEquals(at("2026-11-30T15:00:00Z"), tokyo.start(Window.MONTH, t));
    assertEquals(at("2026-12-31T15:00:00Z"), tokyo.end(Window.MONTH, t));
    assertEquals("2026-12", tokyo.month(t));
    assertEquals("2026-11", Periods.UTC.month(t));
    Periods india = Periods.of("Asia/Kolkata");
    assertEquals(at("2026-11-30T15:30:00Z"), india.start(Window.HOUR, at("2026-11-30T16:10:00Z")), "a half-hour zone");
  }

  @Test
  void aDayWithAClockChangeIsOneDay() {
    Periods berlin = Periods.of("Europe/Berlin");
    long t = at("2026-10-25T12:00:00Z"); // clocks went back at 01:00 UTC: a day of 25 hours
    long start = berlin.start(Window.DAY, t);
    assertEquals(at("2026-10-24T22:00:00Z"), start);
    assertEquals(25 * 3_600_000L, berlin.end(Window.DAY, t) - start);
  }
}
