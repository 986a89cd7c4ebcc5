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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request log's partitions, one per UTC month of admission ({@code request_log_y2026m11}): made before a
 * month's first rows are written, and dropped whole once the month ended longer ago than the retention, never
 * deleted row by row.
 */
public final class RequestLogPartitions {
  private static final Pattern NAME = Pattern.compile("request_log_y(\\d{4})m(\\d{2})");
  private static final String DUPLICATE_TABLE = "42P07";

  private RequestLogPartitions() {}

  static String name(YearMonth month) {
    return String.format("request_log_y%04dm%02d", month.getYear(), month.getMonthValue());
  }

  static YearMonth monthOf(long epochMillis) {
    return YearMonth.from(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }

  /** Makes the month's partition if it is missing (autocommit: no lock on the log is held past it). */
  static void ensure(Connection connection, YearMonth month) throws SQLException {
    String sql = "CREATE TABLE IF NOT EXISTS " + name(month) + " PARTITION OF request_log FOR VALUES FROM ('"
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
  public static List<YearMonth> months(Connection connection) throws SQLException {
    List<YearMonth> months = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement("""
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'request_log' AND p.relnamespace = to_regnamespace(current_schema())
        ORDER BY 1""");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Matcher m = NAME.matcher(rs.getString(1));
        if (m.matches()) {
          months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
      }
    }
    return months;
  }

  /** Drops every month whose end is before {@code cutoff}; returns the months dropped. */
  public static List<YearMonth> dropEndedBefore(Connection connection, Instant cutoff) throws SQLException {
    List<YearMonth> dropped = new ArrayList<>();
    for (YearMonth month : months(connection)) {
      if (!start(month.plusMonths(1)).isAfter(cutoff)) {
        try (Statement st = connection.createStatement()) {
          st.execute("DROP TABLE IF EXISTS " + name(month));
        }
        dropped.add(month);
      }
    }
    return dropped;
  }

  private static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
