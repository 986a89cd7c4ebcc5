package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A group's rows in one statement: every column sent as an array, the arrays unnested into rows. One round
 * trip, nothing for the driver to pipeline (a batch of single-row statements stalled, docs/benchmarks.md).
 */
final class UnnestInsert<R> {
  /** A column: its name, the SQL type its values are sent as, and the expression over {@code u} that stores it. */
  record Column<R>(String name, String sentAs, String stored, Function<R, Object> value) {
    Column(String name, String sentAs, Function<R, Object> value) {
      this(name, sentAs, "u." + name, value);
    }
  }

  /** Stores epoch milliseconds sent as {@code int8} as a {@code timestamptz}, exactly. */
  static String millisAsTime(String name) {
    return "timestamptz 'epoch' + u." + name + " * interval '1 millisecond'";
  }

  private final List<Column<R>> columns;
  private final String sql;

  UnnestInsert(String table, List<Column<R>> columns) {
    this(table, columns, "");
  }

  /** With {@code onConflict} ({@code ON CONFLICT ... DO UPDATE ...}) after it: an upsert. */
  UnnestInsert(String table, List<Column<R>> columns, String onConflict) {
    this.columns = columns;
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    this.sql = "INSERT INTO " + table + " (" + names + ") SELECT "
        + columns.stream().map(Column::stored).collect(Collectors.joining(", ")) + " FROM unnest("
        + columns.stream().map(c -> "?::" + c.sentAs() + "[]").collect(Collectors.joining(", ")) + ") AS u(" + names + ") "
        + onConflict;
  }

  /** Inserts the rows; returns how many. */
  int insert(Connection connection, List<R> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      int i = 1;
      for (Column<R> column : columns) {
        Object[] values = new Object[rows.size()];
        for (int r = 0; r < values.length; r++) {
          values[r] = column.value().apply(rows.get(r));
        }
        st.setArray(i++, connection.createArrayOf(column.sentAs(), values));
      }
      return st.executeUpdate();
    }
  }
}
