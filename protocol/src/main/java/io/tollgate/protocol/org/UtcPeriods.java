package io.tollgate.protocol.org;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Minutes and months are UTC: a minute is an epoch-minute number, a month a {@code "2026-11"} string. */
public final class UtcPeriods {
  public static final long MINUTE_MILLIS = 60_000L;

  private UtcPeriods() {}

  public static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, MINUTE_MILLIS);
  }

  public static YearMonth yearMonthOf(long epochMillis) {
    return YearMonth.from(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }

  public static String monthOf(long epochMillis) {
    return yearMonthOf(epochMillis).toString();
  }

  /** The first millisecond of the month after the one holding {@code epochMillis}. */
  public static long nextMonthStart(long epochMillis) {
    return yearMonthOf(epochMillis).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
