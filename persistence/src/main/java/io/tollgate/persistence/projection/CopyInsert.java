package io.tollgate.persistence.projection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * A group's rows in one {@code COPY ... FROM STDIN}: PostgreSQL's cheapest way in for rows that are only
 * inserted, with no statement to plan and no arrays to parse (the unnested arrays cost the database several
 * times the row itself, docs/benchmarks.md). Values are null, numbers, booleans, instants or text.
 */
final class CopyInsert<R> {
  /** A column: its name and its value in a row. */
  record Column<R>(String name, Function<R, Object> value) {}

  private final List<Column<R>> columns;
  private final String sql;

  CopyInsert(String table, List<Column<R>> columns) {
    this.columns = columns;
    this.sql = "COPY " + table + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
        + ") FROM STDIN";
  }

  /** An instant from epoch milliseconds, as a {@code timestamptz} column takes it, exactly. */
  static Instant time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }

  /** Inserts the rows; returns how many. */
  long insert(Connection connection, List<R> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    StringBuilder text = new StringBuilder(rows.size() * 64 * columns.size() / 4);
    for (R row : rows) {
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          text.append('\t');
        }
        append(text, columns.get(i).value().apply(row));
      }
      text.append('\n');
    }
    try {
      return connection.unwrap(PGConnection.class).getCopyAPI()
          .copyIn(sql, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new SQLException("could not send the rows to copy: " + e.getMessage(), e);
    }
  }

  /** A value in COPY's text format: {@code \N} for null; backslash, tab, newline and return escaped. */
  static void append(StringBuilder text, Object value) {
    if (value == null) {
      text.append("\\N");
      return;
    }
    String s = value.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
  }
}
