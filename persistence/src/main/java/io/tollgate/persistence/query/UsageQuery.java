package io.tollgate.persistence.query;

import io.tollgate.persistence.projection.DailyUsage.Sums;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Usage over UTC days from the read model: an org's totals and series under filters, and leaderboards of the
 * values of one dimension (or of orgs). Blocking: run it off the actor threads.
 */
public final class UsageQuery {
  /** A dimension of {@code usage_daily}; the column comes from here, never from the caller. */
  public enum Dimension {
    ORG("org_id"), KEY("key_id"), AGENT("agent"), TEAM("team"), CUSTOMER("customer"), USER("user_id"),
    PROVIDER("provider"), MODEL("model");

    private final String column;

    Dimension(String column) {
      this.column = column;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Dimension> of(String label) {
      for (Dimension d : values()) {
        if (d.label().equals(label)) {
          return Optional.of(d);
        }
      }
      return Optional.empty();
    }
  }

  /** What a leaderboard ranks by: cost, tokens (input plus output) or requests. */
  public enum Metric {
    COST("SUM(cost_nanos)"), TOKENS("SUM(input_tokens) + SUM(output_tokens)"), REQUESTS("SUM(requests)");

    private final String sql;

    Metric(String sql) {
      this.sql = sql;
    }

    public static Optional<Metric> of(String label) {
      for (Metric m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(label)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** How a series is cut: per UTC day or per calendar month. */
  public enum Step {
    DAY("day"), MONTH("date_trunc('month', day)::date");

    private final String sql;

    Step(String sql) {
      this.sql = sql;
    }
  }

  /** The values to keep (null: any); "" keeps the requests that did not name the dimension. */
  public record Filter(String key, String agent, String team, String customer, String user, String provider,
      String model) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null);
  }

  public record Point(LocalDate start, Sums sums) {}

  public record Usage(Sums total, List<Point> series, Instant lastProjectedAt) {}

  public record Leader(String value, Sums sums) {}

  private final DataSource pool;

  public UsageQuery(DataSource pool) {
    this.pool = pool;
  }

  /** The org's usage from {@code from} to {@code to} (both included), in total and per step. */
  public Usage usage(String orgId, LocalDate from, LocalDate to, Filter filter, Step step) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + step.sql + ", " + SpendQuery.SUMS
        + " FROM usage_daily WHERE org_id = ? AND day BETWEEN ? AND ?");
    List<Object> args = new ArrayList<>(List.of(orgId, Date.valueOf(from), Date.valueOf(to)));
    where(sql, args, filter);
    sql.append(" GROUP BY 1 ORDER BY 1");
    List<Point> series = new ArrayList<>();
    Sums total = Sums.NONE;
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement st = statement(c, sql.toString(), args); ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Sums sums = SpendQuery.sums(rs, 2);
          series.add(new Point(rs.getDate(1).toLocalDate(), sums));
          total = total.plus(sums);
        }
      }
      return new Usage(total, series, SpendQuery.lastProjectedAt(c));
    }
  }

  /**
   * The top {@code limit} values of a dimension by a metric, from {@code from} to {@code to}; of one org, or of
   * every org ({@code orgId} null, for the operator). Ties go by value.
   */
  public List<Leader> leaderboard(String orgId, Dimension dimension, Metric metric, LocalDate from, LocalDate to,
      int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + dimension.column + ", " + SpendQuery.SUMS
        + " FROM usage_daily WHERE day BETWEEN ? AND ?");
    List<Object> args = new ArrayList<>(List.of(Date.valueOf(from), Date.valueOf(to)));
    if (orgId != null) {
      sql.append(" AND org_id = ?");
      args.add(orgId);
    }
    sql.append(" GROUP BY 1 ORDER BY ").append(metric.sql).append(" DESC, 1 LIMIT ?");
    args.add(limit);
    List<Leader> leaders = new ArrayList<>();
    try (Connection c = pool.getConnection();
        PreparedStatement st = statement(c, sql.toString(), args); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        leaders.add(new Leader(rs.getString(1), SpendQuery.sums(rs, 2)));
      }
    }
    return leaders;
  }

  private static void where(StringBuilder sql, List<Object> args, Filter f) {
    condition(sql, args, "key_id", f.key());
    condition(sql, args, "agent", f.agent());
    condition(sql, args, "team", f.team());
    condition(sql, args, "customer", f.customer());
    condition(sql, args, "user_id", f.user());
    condition(sql, args, "provider", f.provider());
    condition(sql, args, "model", f.model());
  }

  private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
  }

  private static PreparedStatement statement(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      st.setObject(i + 1, args.get(i));
    }
    return st;
  }
}
