package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages through the journal's rows of one event type in commit order: by the id of the transaction that
 * wrote each row, then by its ordering. Only rows of transactions older than every transaction still
 * running are read, so no row can later appear behind a position already read.
 */
final class JournalPages {
  /** Where a reader stands: the last row it read, {@code "<transaction id>:<ordering>"} as an offset. */
  record Position(String txId, long ordering) {
    static final Position START = new Position("0", 0);

    static Position parse(String offset) {
      int colon = offset.indexOf(':');
      return new Position(offset.substring(0, colon), Long.parseLong(offset.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return txId + ":" + ordering;
    }
  }

  /** One journal row, its payload still serialized. */
  record Row(Position position, String persistenceId, int serializerId, String manifest, byte[] payload,
      long writtenAtMillis) {}

  // Sorted by the column itself: the transaction id is selected as text under another name, since an ORDER BY
  // naming a selected column sorts by that column's text, where "10000" comes before "9999". That skipped
  // and repeated rows once transaction ids grew a digit, and it sorted a whole scan for every page.
  private static final String AFTER = """
      SELECT tx_id::text AS tx_text, ordering, persistence_id, event_ser_id, event_ser_manifest, event_payload,
        write_timestamp
      FROM event_journal
      WHERE event_ser_manifest = ANY(?) AND (tx_id, ordering) > (?::xid8, ?)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY event_journal.tx_id, event_journal.ordering
      LIMIT ?
      """;

  private JournalPages() {}

  /** Up to {@code limit} rows with one of these manifests after {@code from}, in commit order. */
  static List<Row> after(Connection connection, List<String> manifests, Position from, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement(AFTER)) {
      st.setArray(1, connection.createArrayOf("text", manifests.toArray()));
      st.setString(2, from.txId());
      st.setLong(3, from.ordering());
      st.setInt(4, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(new Position(rs.getString(1), rs.getLong(2)), rs.getString(3), rs.getInt(4), rs.getString(5),
              rs.getBytes(6), rs.getLong(7)));
        }
      }
    }
    return rows;
  }
}
