package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * The partitions of a log table, one per UTC month ({@code request_log_y2026m11}): made before a month's first
 * rows are written, and dropped whole once the month ended longer ago than the retention, never deleted row by
 * row. The tables are ours ({@link #TABLES}), never a caller's text.
 */
public final class MonthlyPartitions {
  /** The tables partitioned by month. */
  public static final List<String> TABLES = List.of("request_log", "denial_log");
  private static final Pattern NAME = Pattern.compile("[a-z_]+_y(\\d{4})m(\\d{2})");
  private static final String DUPLICATE_TABLE = "42P07";

  private MonthlyPartitions() {}

  static String name(String table, YearMonth month) {
    return String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue());
  }

  static YearMonth monthOf(long epochMillis) {
    return YearMonth.from(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }

  /** Makes the month's partition if it is missing (autocommit: no lock on the log is held past it). */
  static void ensure(Connection connection, String table, YearMonth month) throws SQLException {
    String sql = "CREATE TABLE IF NOT EXISTS " + name(table, month) + " PARTITION OF " + table + " FOR VALUES FROM ('"
        + start(month) + "') TO ('" + start(month.plusMonths(1)) + "')";
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      if (!DUPLICATE_TABLE.equals(e.getSQLState())) { // made by another session in the meantime: as good
        throw e;
      }
    }
  }

  /** The months that have a partition, oldest first. */
  public static List<YearMonth> months(Connection connection, String table) throws SQLException {
    List<YearMonth> months = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement("""
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = ? AND p.relnamespace = to_regnamespace(current_schema())
        ORDER BY 1""")) {
      st.setString(1, table);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Matcher m = NAME.matcher(rs.getString(1));
          if (m.matches()) {
            months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
          }
        }
      }
    }
    return months;
  }

  /** Drops every month of the table whose end is before {@code cutoff}; returns the months dropped. */
  public static List<YearMonth> dropEndedBefore(Connection connection, String table, Instant cutoff)
      throws SQLException {
    List<YearMonth> dropped = new ArrayList<>();
    for (YearMonth month : months(connection, table)) {
      if (!start(month.plusMonths(1)).isAfter(cutoff)) {
        try (Statement st = connection.createStatement()) {
          st.execute("DROP TABLE IF EXISTS " + name(table, month));
        }
        dropped.add(month);
      }
    }
    return dropped;
  }

  /**
   * Makes a table's months as the rows for them come, each at most once a run, on a connection of its own: outside
   * the rows' transaction, so no lock on the table is held with them.
   */
  static final class Maker {
    private final DataSource pool;
    private final String table;
    private final Set<YearMonth> made = new HashSet<>();

    Maker(DataSource pool, String table) {
      this.pool = pool;
      this.table = table;
    }

    /** Makes the partitions of the months of these instants (epoch milliseconds) that it has not made yet. */
    void ensureFor(LongStream epochMillis) throws SQLException {
      Set<YearMonth> missing = new HashSet<>();
      epochMillis.mapToObj(MonthlyPartitions::monthOf).filter(m -> !made.contains(m)).forEach(missing::add);
      if (missing.isEmpty()) {
        return;
      }
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(true);
        for (YearMonth month : missing) {
          ensure(c, table, month);
        }
      }
      made.addAll(missing);
    }
  }

  private static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
