package io.tollgate.node.admin;

import io.tollgate.persistence.query.LogFilter;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The query of a record listing ({@code ?from=&to=&agent=&tag.env=prod&limit=&cursor=}) read into a filter. A
 * parameter it does not know is an error, not ignored: a misspelt filter must not list everything.
 */
final class RecordFilters {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String TAG = "tag.";
  private static final Set<String> COMMON = Set.of("from", "to", "key", "agent", "session", "customer", "team", "user",
      "model", "provider", "status", "limit", "cursor");
  private static final List<String> OUTCOMES = Arrays.stream(Outcome.values()).map(RecordFilters::label).toList();
  private static final List<String> REASONS = Arrays.stream(DenialReason.values())
      .map(r -> r.name().toLowerCase(Locale.ROOT)).toList();

  /** Which log is listed: each takes the common filters and its own. */
  enum Log {
    REQUESTS(Set.of("outcome")), DENIALS(Set.of("reason", "scope"));

    private final Set<String> own;

    Log(Set<String> own) {
      this.own = own;
    }

    boolean takes(String param) {
      return COMMON.contains(param) || own.contains(param);
    }

    String names() {
      return String.join(", ", Stream.concat(COMMON.stream(), own.stream()).sorted().toList());
    }
  }

  /** A page asked for: what to list, how many, and after which record (null: from the newest). */
  record Listing(LogFilter filter, int limit, LogFilter.Cursor cursor) {}

  private RecordFilters() {}

  /** @throws InvalidRequestException with a message for the caller */
  static Listing listing(Log log, Map<String, String> params) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (p.getKey().startsWith(TAG) && p.getKey().length() > TAG.length()) {
        tags.put(p.getKey().substring(TAG.length()), p.getValue());
      } else if (!log.takes(p.getKey())) {
        throw new InvalidRequestException("Unknown parameter '" + p.getKey() + "'. Filters: " + log.names()
            + ", tag.<name>.");
      }
    }
    Instant from = instant(params, "from", false);
    Instant to = instant(params, "to", true);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidRequestException("'from' (" + from + ") must be before 'to' (" + to + ").");
    }
    String status = text(params, "status");
    Integer code = null;
    Integer statusClass = null;
    if (status != null) {
      if (status.matches("[1-5]xx")) {
        statusClass = status.charAt(0) - '0';
      } else if (status.matches("[1-5][0-9][0-9]")) {
        code = Integer.parseInt(status);
      } else {
        throw new InvalidRequestException("'status' must be an HTTP status (429) or a class of them (4xx), not '"
            + status + "'.");
      }
    }
    LogFilter filter = new LogFilter(from, to, text(params, "key"), text(params, "agent"),
        text(params, "session"), text(params, "customer"), text(params, "team"), text(params, "user"),
        text(params, "model"), text(params, "provider"), code, statusClass, oneOf(params, "outcome", OUTCOMES),
        oneOf(params, "reason", REASONS), text(params, "scope"), tags);
    return new Listing(filter, limit(params), cursor(params));
  }

  static String label(Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  static String oneOf(Map<String, String> params, String name, List<String> values) {
    String value = text(params, name);
    if (value != null && !values.contains(value)) {
      throw new InvalidRequestException("'" + name + "' must be one of " + String.join(", ", values) + ", not '" + value
          + "'.");
    }
    return value;
  }

  static int limit(Map<String, String> params) {
    return limit(params, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /** {@code ?limit=}: from 1 to {@code max}, {@code otherwise} when absent. */
  static int limit(Map<String, String> params, int otherwise, int max) {
    String limit = text(params, "limit");
    if (limit == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException("'limit' must be a number from 1 to " + max + ", not '" + limit + "'.");
  }

  static LogFilter.Cursor cursor(Map<String, String> params) {
    String text = text(params, "cursor");
    if (text == null) {
      return null;
    }
    LogFilter.Cursor cursor = LogFilter.Cursor.decode(text);
    if (cursor == null) {
      throw new InvalidRequestException("'cursor' is not one this API gave out: pass 'next_cursor' as it came.");
    }
    return cursor;
  }

  /** An instant ({@code 2026-11-03T10:00:00Z}) or a UTC day; a day as {@code to} includes that day. */
  static Instant instant(Map<String, String> params, String name, boolean end) {
    String value = text(params, name);
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("'" + name + "' must be a day (2026-11-03) or an instant"
          + " (2026-11-03T10:00:00Z), not '" + value + "'.");
    }
  }

  static String text(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
