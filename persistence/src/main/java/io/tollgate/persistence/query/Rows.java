package io.tollgate.persistence.query;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.sql.DataSource;

/** Runs a query with its arguments and maps its rows. */
final class Rows {
  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Rows() {}

  static <T> List<T> read(DataSource pool, String sql, List<Object> args, Mapper<T> mapper) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
    }
    return rows;
  }

  /**
   * A page of rows read with {@code LIMIT limit + 1}: the first {@code limit} of them, and the cursor after the
   * last if there were more (null on the last page).
   */
  static <T, P> P page(List<T> rows, int limit, Function<T, LogFilter.Cursor> cursorOf,
      BiFunction<List<T>, LogFilter.Cursor, P> page) {
    return rows.size() <= limit ? page.apply(rows, null)
        : page.apply(rows.subList(0, limit), cursorOf.apply(rows.get(limit - 1)));
  }

  /** Appends {@code AND test} with its value, unless the value is null (no filter). */
  static void condition(StringBuilder sql, List<Object> args, String test, Object value) {
    if (value != null) {
      sql.append(" AND ").append(test);
      args.add(value);
    }
  }

  static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** A nullable timestamp as epoch milliseconds. */
  static Long nullableMillis(ResultSet rs, int column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.getTime();
  }

  static List<String> texts(Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }
}
