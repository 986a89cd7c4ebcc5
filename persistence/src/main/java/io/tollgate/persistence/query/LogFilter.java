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

  /** This filter, from {@code from} on if it names no start of its own. */
  public LogFilter fromAtLeast(Instant start) {
    return from != null ? this : new LogFilter(start, to, key, agent, session, customer, team, user, model, provider,
        status, statusClass, outcome, reason, scope, tags);
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
    Rows.condition(sql, args, timeColumn + " >= ?", from == null ? null : from.atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, timeColumn + " < ?", to == null ? null : to.atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, "key_id = ?", key);
    Rows.condition(sql, args, "agent = ?", agent);
    Rows.condition(sql, args, "session = ?", session);
    Rows.condition(sql, args, "customer = ?", customer);
    Rows.condition(sql, args, "team = ?", team);
    Rows.condition(sql, args, "user_id = ?", user);
    if (model != null && model.endsWith("*")) { // a pattern, as in limits: "claude-opus*"
      String prefix = model.substring(0, model.length() - 1);
      Rows.condition(sql, args, "model LIKE ? ESCAPE '\\'", prefix.replaceAll("([\\\\%_])", "\\\\$1") + "%");
    } else {
      Rows.condition(sql, args, "model = ?", model);
    }
    Rows.condition(sql, args, "provider = ?", provider);
    Rows.condition(sql, args, "status = ?", status);
    Rows.condition(sql, args, "status / 100 = ?", status == null ? statusClass : null);
    Rows.condition(sql, args, "outcome = ?", outcome);
    Rows.condition(sql, args, "reason = ?", reason);
    Rows.condition(sql, args, "scope = ?", scope);
    Rows.condition(sql, args, "tags @> ?::jsonb", tags.isEmpty() ? null : Json.write(tags));
    if (after != null) {
      sql.append(" AND (").append(timeColumn).append(", ").append(idColumn).append(") < (?, ?)");
      args.add(Instant.ofEpochMilli(after.atMillis()).atOffset(ZoneOffset.UTC));
      args.add(after.id());
    }
  }
}
