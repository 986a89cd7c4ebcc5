package io.tollgate.persistence.query;

import io.tollgate.persistence.query.LogFilter.Cursor;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** An org's reported outcomes, and what its spend earned: cost against confirmed value per group. Blocking. */
public final class OutcomeQuery {
  public record ReportedOutcome(String id, String session, String name, long valueNanos, String metadataJson,
      String keyId, String agent, String customer, long reportedAtMillis, String status, String reviewedBy,
      Long reviewedAtMillis) {}

  public record Page(List<ReportedOutcome> outcomes, Cursor next) {}

  /** What to list; null does not filter; {@code from} included, {@code to} not (report times). */
  public record Filter(Instant from, Instant to, String status, String session, String name, String agent,
      String customer) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null);
  }

  /** How the ROI is grouped. */
  public enum By {
    AGENT, CUSTOMER, OUTCOME;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One group: its cost (the spend of the agent or customer over the days, or for an outcome name the cost of
   * the sessions that produced one), the value of its confirmed outcomes, and how many were reported and
   * confirmed.
   */
  public record Return(String group, long costNanos, long confirmedValueNanos, long reported, long confirmed) {}

  private static final String COLUMNS = "id, session, name, value_nanos, metadata::text, key_id, agent, customer,"
      + " reported_at, status, reviewed_by, reviewed_at";

  private final DataSource pool;

  public OutcomeQuery(DataSource pool) {
    this.pool = pool;
  }

  public Page list(String orgId, Filter filter, int limit, Cursor after) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM outcomes WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    Rows.condition(sql, args, "reported_at >= ?", filter.from() == null ? null : filter.from().atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, "reported_at < ?", filter.to() == null ? null : filter.to().atOffset(ZoneOffset.UTC));
    Rows.condition(sql, args, "status = ?", filter.status());
    Rows.condition(sql, args, "session = ?", filter.session());
    Rows.condition(sql, args, "name = ?", filter.name());
    Rows.condition(sql, args, "agent = ?", filter.agent());
    Rows.condition(sql, args, "customer = ?", filter.customer());
    if (after != null) {
      sql.append(" AND (reported_at, id) < (?, ?)");
      args.add(Instant.ofEpochMilli(after.atMillis()).atOffset(ZoneOffset.UTC));
      args.add(after.id());
    }
    sql.append(" ORDER BY reported_at DESC, id DESC LIMIT ?");
    args.add(limit + 1);
    return Rows.page(Rows.read(pool, sql.toString(), args, OutcomeQuery::row), limit,
        last -> new Cursor(last.reportedAtMillis(), last.id()), Page::new);
  }

  public Optional<ReportedOutcome> one(String orgId, String id) throws SQLException {
    return Rows.read(pool, "SELECT " + COLUMNS + " FROM outcomes WHERE org_id = ? AND id = ?", List.of(orgId, id),
        OutcomeQuery::row).stream().findFirst();
  }

  /** A session's outcomes in the order they were reported. */
  public List<ReportedOutcome> ofSession(String orgId, String session) throws SQLException {
    return Rows.read(pool, "SELECT " + COLUMNS + " FROM outcomes WHERE org_id = ? AND session = ?"
        + " ORDER BY reported_at, id LIMIT 1000", List.of(orgId, session), OutcomeQuery::row);
  }

  /** Cost against confirmed value per group, over UTC days {@code from} to {@code to} (both included). */
  public List<Return> roi(String orgId, By by, LocalDate from, LocalDate to) throws SQLException {
    Date start = Date.valueOf(from);
    Date end = Date.valueOf(to);
    Object since = from.atStartOfDay(ZoneOffset.UTC).toOffsetDateTime();
    Object until = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toOffsetDateTime();
    String reported = "o.org_id = ? AND o.reported_at >= ? AND o.reported_at < ?";
    String values = "SUM(o.value_nanos) FILTER (WHERE o.status = 'confirmed') AS v, COUNT(*) AS n,"
        + " COUNT(*) FILTER (WHERE o.status = 'confirmed') AS c";
    String sql;
    List<Object> args;
    if (by == By.OUTCOME) {
      // An outcome name's cost: the sessions that produced one of them, each counted once per name.
      sql = "WITH o AS (SELECT * FROM outcomes o WHERE " + reported + "),"
          + " cost AS (SELECT x.name AS g, SUM(s.cost_nanos) AS cost FROM (SELECT DISTINCT name, session FROM o"
          + " WHERE session IS NOT NULL) x JOIN sessions s ON s.org_id = ? AND s.session = x.session GROUP BY 1),"
          + " val AS (SELECT o.name AS g, " + values + " FROM o GROUP BY 1)"
          + " SELECT val.g, coalesce(cost.cost, 0), coalesce(val.v, 0), val.n, val.c FROM val LEFT JOIN cost"
          + " ON cost.g = val.g ORDER BY 3 DESC, 1";
      args = List.of(orgId, since, until, orgId);
    } else {
      String column = by == By.AGENT ? "agent" : "customer";
      sql = "WITH cost AS (SELECT " + column + " AS g, SUM(cost_nanos) AS cost FROM usage_daily"
          + " WHERE org_id = ? AND day BETWEEN ? AND ? GROUP BY 1),"
          + " val AS (SELECT coalesce(o." + column + ", '') AS g, " + values + " FROM outcomes o WHERE " + reported
          + " GROUP BY 1)"
          + " SELECT coalesce(cost.g, val.g), coalesce(cost.cost, 0), coalesce(val.v, 0), coalesce(val.n, 0),"
          + " coalesce(val.c, 0) FROM cost FULL JOIN val ON cost.g = val.g ORDER BY 3 DESC, 2 DESC, 1";
      args = List.of(orgId, start, end, orgId, since, until);
    }
    return Rows.read(pool, sql, args, rs -> new Return(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
        rs.getLong(5)));
  }

  private static ReportedOutcome row(ResultSet rs) throws SQLException {
    int i = 1;
    return new ReportedOutcome(rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getLong(i++),
        rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getTimestamp(i++).getTime(),
        rs.getString(i++), rs.getString(i++), Rows.nullableMillis(rs, i));
  }
}
