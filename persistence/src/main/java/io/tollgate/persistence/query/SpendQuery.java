package io.tollgate.persistence.query;

import io.tollgate.persistence.projection.DailyUsage.Sums;
import io.tollgate.persistence.projection.RequestLogProjection;
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

/** What an org spent over a range of UTC days, grouped by one dimension, read from the usage read model. */
public final class SpendQuery {
  /** The dimensions spend can be grouped by, each one column of {@code usage_daily}. */
  public enum GroupBy {
    DAY("day"), KEY("key_id"), AGENT("agent"), TEAM("team"), CUSTOMER("customer"), USER("user_id"), PROVIDER("provider"),
    MODEL("model");

    private final String column;

    GroupBy(String column) {
      this.column = column;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GroupBy> of(String label) {
      for (GroupBy g : values()) {
        if (g.label().equals(label)) {
          return Optional.of(g);
        }
      }
      return Optional.empty();
    }
  }

  /** One group's sums; {@code value} is "" for requests that did not name the dimension. */
  public record Group(String value, Sums sums) {}

  /**
   * The groups, most expensive first; {@code lastProjectedAt} is when the projection last added usage (null
   * before its first), so a reader can tell how far behind the journal the figures may be.
   */
  public record Spend(List<Group> groups, Sums total, Instant lastProjectedAt) {}

  static final String SUMS = "SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens),"
      + " SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_nanos), SUM(estimated_requests), SUM(unpriced_requests)";

  private final DataSource pool;

  public SpendQuery(DataSource pool) {
    this.pool = pool;
  }

  /** Blocking: run it off the actor threads. */
  public Spend spend(String orgId, LocalDate from, LocalDate to, GroupBy by) throws SQLException {
    // The column name comes from the enum, never from the caller.
    String sql = "SELECT " + by.column + "::text, " + SUMS + " FROM usage_daily WHERE org_id = ? AND day BETWEEN ? AND ?"
        + " GROUP BY 1 ORDER BY 8 DESC, 1";
    List<Group> groups = new ArrayList<>();
    Sums total = Sums.NONE;
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setString(1, orgId);
        st.setDate(2, Date.valueOf(from));
        st.setDate(3, Date.valueOf(to));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Sums sums = sums(rs, 2);
            groups.add(new Group(rs.getString(1), sums));
            total = total.plus(sums);
          }
        }
      }
      return new Spend(groups, total, lastProjectedAt(c));
    }
  }

  /** The nine sums of {@link #SUMS}, read from {@code first} on. */
  static Sums sums(ResultSet rs, int first) throws SQLException {
    int i = first;
    return new Sums(rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
        rs.getLong(i++), rs.getLong(i++), rs.getLong(i));
  }

  static Instant lastProjectedAt(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT last_updated FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?")) {
      st.setString(1, RequestLogProjection.ID.name());
      st.setString(2, RequestLogProjection.ID.key());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
      }
    }
  }
}
