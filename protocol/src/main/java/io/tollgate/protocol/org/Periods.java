package io.tollgate.protocol.org;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Calendar periods in an org's time zone: a minute, hour, day or month starts on its boundary there, so
 * a day limit resets at the org's midnight and a day of 23 or 25 hours (a clock change) is one day.
 */
public final class Periods {
  public static final Periods UTC = new Periods(ZoneOffset.UTC);

  private final ZoneId zone;

  public Periods(ZoneId zone) {
    this.zone = zone.normalized(); // "UTC" and "Etc/UTC" take the fast path too
  }

  public static Periods of(String timeZone) {
    return timeZone == null ? UTC : new Periods(ZoneId.of(timeZone));
  }

  public ZoneId zone() {
    return zone;
  }

  /** The calendar month holding {@code epochMillis}, as {@code "2026-11"}. */
  public String month(long epochMillis) {
    return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(zone)).toString();
  }

  /** The first millisecond of the period of this window holding {@code epochMillis}. */
  public long start(Window window, long epochMillis) {
    if (window == Window.MINUTE && zone == ZoneOffset.UTC) {
      return Math.floorDiv(epochMillis, 60_000L) * 60_000L; // the hot path: no calendar arithmetic
    }
    ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(zone);
    ZonedDateTime start = switch (window) {
      case MINUTE -> at.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
      case DAY -> at.toLocalDate().atStartOfDay(zone);
      case MONTH -> at.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
    };
    return start.toInstant().toEpochMilli();
  }

  /** The first millisecond of the period after the one holding {@code epochMillis}. */
  public long end(Window window, long epochMillis) {
    ZonedDateTime start = Instant.ofEpochMilli(start(window, epochMillis)).atZone(zone);
    ZonedDateTime next = switch (window) {
      case MINUTE -> start.plusMinutes(1);
      case HOUR -> start.plusHours(1);
      case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(zone);
      case MONTH -> start.toLocalDate().plusMonths(1).atStartOfDay(zone);
    };
    return next.toInstant().toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Periods p && p.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return zone.hashCode();
  }
}
