package io.tollgate.persistence.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What to list of a log (requests, refusals); a null field does not filter. {@code from} is included,
 * {@code to} is not; {@code statusClass} is the first digit of the status (4 for 4xx), used when
 * {@code status} is null; a {@code model} ending in {@code *} matches every model it begins. {@code outcome}
 * applies to requests, {@code reason} and {@code scope} to refusals.
 */
public record LogFilter(Instant from, Instant to, String key, String agent, String session, String customer,
    String team, String user, String model, String provider, Integer status, Integer statusClass, String outcome,
    String reason, String scope, Map<String, String> tags) {

  public static final LogFilter ALL = new LogFilter(null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, Map.of());

  public LogFilter {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** Where the next page starts: after this row in the order (newest first, then by {@code id} descending). */
  public record Cursor(long atMillis, String id) {
    public String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((atMillis + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Null if the text is not a cursor a listing gave out. */
    public static Cursor decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int bar = plain.indexOf('|');
        return bar < 0 ? null : new Cursor(Long.parseLong(plain.substring(0, bar)), plain.substring(bar + 1));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /**
   * Appends this filter's conditions, and the cursor's, to a query of a log whose time is {@code timeColumn}
   * and whose rows are told apart by {@code idColumn}; the values go to {@code args} in order.
   */
  void where(StringBuilder sql, List<Object> args, String timeColumn, String idColumn, Cursor after) {
    condition(sql, args, timeColumn + " >= ?", from == null ? null : from.atOffset(ZoneOffset.UTC));
    condition(sql, args, timeColumn + " < ?", to == null ? null : to.atOffset(ZoneOffset.UTC));
    condition(sql, args, "key_id = ?", key);
    condition(sql, args, "agent = ?", agent);
    condition(sql, args, "session = ?", session);
    condition(sql, args, "customer = ?", customer);
    condition(sql, args, "team = ?", team);
    condition(sql, args, "user_id = ?", user);
    if (model != null && model.endsWith("*")) { // a pattern, as in limits: "claude-opus*"
      String prefix = model.substring(0, model.length() - 1);
      condition(sql, args, "model LIKE ? ESCAPE '\\'", prefix.replaceAll("([\\\\%_])", "\\\\$1") + "%");
    } else {
      condition(sql, args, "model = ?", model);
    }
    condition(sql, args, "provider = ?", provider);
    condition(sql, args, "status = ?", status);
    condition(sql, args, "status / 100 = ?", status == null ? statusClass : null);
    condition(sql, args, "outcome = ?", outcome);
    condition(sql, args, "reason = ?", reason);
    condition(sql, args, "scope = ?", scope);
    condition(sql, args, "tags @> ?::jsonb", tags.isEmpty() ? null : Json.write(tags));
    if (after != null) {
      sql.append(" AND (").append(timeColumn).append(", ").append(idColumn).append(") < (?, ?)");
      args.add(Instant.ofEpochMilli(after.atMillis()).atOffset(ZoneOffset.UTC));
      args.add(after.id());
    }
  }

  private static void condition(StringBuilder sql, List<Object> args, String test, Object value) {
    if (value != null) {
      sql.append(" AND ").append(test);
      args.add(value);
    }
  }
}
