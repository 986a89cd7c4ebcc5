package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scope value (or the org) used in its current minute, hour, day and month, and, under
 * {@code models}, what requests for models matching each of its limits' patterns used. Immutable.
 */
public record Tally(WindowCount minute, WindowCount hour, WindowCount day, WindowCount month, Map<String, Tally> models)
    implements CborSerializable {
  public static final Tally EMPTY = new Tally(WindowCount.NONE, WindowCount.NONE, WindowCount.NONE, WindowCount.NONE,
      Map.of());

  public Tally {
    minute = minute == null ? WindowCount.NONE : minute;
    hour = hour == null ? WindowCount.NONE : hour;
    day = day == null ? WindowCount.NONE : day;
    month = month == null ? WindowCount.NONE : month;
    models = models == null ? Map.of() : models;
  }

  public WindowCount of(Window window) {
    return switch (window) {
      case MINUTE -> minute;
      case HOUR -> hour;
      case DAY -> day;
      case MONTH -> month;
    };
  }

  /** The count of the window's period holding {@code now}: zero once that period has ended. */
  public WindowCount at(Window window, long now) {
    WindowCount count = of(window);
    return count.holds(now) ? count : WindowCount.NONE;
  }

  /** The sub-tally of a model pattern, empty if none was counted. */
  public Tally model(String pattern) {
    return models.getOrDefault(pattern, EMPTY);
  }

  /** A change made at {@code at} (a request's admission time), counted in every window. */
  public Tally plus(Periods periods, long at, long requests, long tokens, long costNanos) {
    return new Tally(
        minute.plus(periods, Window.MINUTE, at, requests, tokens, costNanos),
        hour.plus(periods, Window.HOUR, at, requests, tokens, costNanos),
        day.plus(periods, Window.DAY, at, requests, tokens, costNanos),
        month.plus(periods, Window.MONTH, at, requests, tokens, costNanos),
        models);
  }

  /** The same change counted in the sub-tallies of these model patterns as well. */
  public Tally plus(Periods periods, long at, long requests, long tokens, long costNanos, List<String> patterns) {
    Tally counted = plus(periods, at, requests, tokens, costNanos);
    if (patterns.isEmpty()) {
      return counted;
    }
    Map<String, Tally> next = new HashMap<>(models);
    for (String pattern : patterns) {
      next.put(pattern, model(pattern).plus(periods, at, requests, tokens, costNanos));
    }
    return new Tally(counted.minute, counted.hour, counted.day, counted.month, Map.copyOf(next));
  }

  /**
   * The calendar month ({@code "2026-11"}) that {@code at} counts in: the month in progress if it holds
   * {@code at} (its bounds were set in the time zone of its start, which a change of zone does not move),
   * else the month of {@code periods}. A month's middle falls in the same month in every zone.
   */
  public String monthOf(Periods periods, long at) {
    if (!month.holds(at)) {
      return periods.month(at);
    }
    long middle = month.start() / 2 + month.end() / 2;
    return YearMonth.from(Instant.ofEpochMilli(middle).atOffset(ZoneOffset.UTC)).toString();
  }

  /** True once its month has ended: nothing of it counts any more. */
  public boolean expired(long now) {
    return now >= month.end();
  }
}
