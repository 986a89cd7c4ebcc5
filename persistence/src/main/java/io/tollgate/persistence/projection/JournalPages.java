package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages through the journal in commit order: by the id of the transaction that wrote each row, then by its
 * ordering, keeping the rows of some event types. Only rows of transactions older than every transaction
 * still running are read, so no row can later appear behind a position already read. A page says how far it
 * looked, so a reader of a rare event type moves on past the others instead of looking through them again.
 */
final class JournalPages {
  /** Where a reader stands: the last row it read, {@code "<transaction id>:<ordering>"} as an offset. */
  record Position(String txId, long ordering) implements Comparable<Position> {
    static final Position START = new Position("0", 0);

    static Position parse(String offset) {
      int colon = offset.indexOf(':');
      return new Position(offset.substring(0, colon), Long.parseLong(offset.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return txId + ":" + ordering;
    }

    /** Commit order: transaction ids are unsigned 64-bit numbers (xid8), compared as numbers, never as text. */
    @Override
    public int compareTo(Position other) {
      int tx = Long.compareUnsigned(Long.parseUnsignedLong(txId), Long.parseUnsignedLong(other.txId));
      return tx != 0 ? tx : Long.compare(ordering, other.ordering);
    }
  }

  /** The rows of the types asked for, and the position of the last row looked at (null: none was). */
  record Page(List<Row> rows, Position scannedTo) {}

  /** One journal row, its payload still serialized. */
  record Row(Position position, String persistenceId, int serializerId, String manifest, byte[] payload,
      long writtenAtMillis) {}

  // Sorted by the column itself: the transaction id is selected as text under another name, since an ORDER BY
  // naming a selected column sorts by that column's text, where "10000" comes before "9999". That skipped
  // and repeated rows once transaction ids grew a digit, and it sorted a whole scan for every page.
  private static final String AFTER = """
      SELECT tx_id::text AS tx_text, ordering, persistence_id, event_ser_id, event_ser_manifest,
        CASE WHEN event_ser_manifest = ANY(?) THEN event_payload END, write_timestamp
      FROM event_journal
      WHERE (tx_id, ordering) > (?::xid8, ?)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY event_journal.tx_id, event_journal.ordering
      LIMIT ?
      """;

  /** What a reader has yet to read: its events among the rows looked at, and when the oldest was written. */
  record Pending(long events, Long oldestWrittenAtMillis) {}

  private static final String PENDING = """
      SELECT count(*), min(write_timestamp)
      FROM (SELECT event_ser_manifest, write_timestamp FROM event_journal WHERE (tx_id, ordering) > (?::xid8, ?)
            ORDER BY tx_id, ordering LIMIT ?) ahead
      WHERE event_ser_manifest = ANY(?)
      """;

  private JournalPages() {}

  /** The events of these manifests among the {@code lookAhead} rows after {@code from}, in commit order. */
  static Pending pending(Connection connection, List<String> manifests, Position from, int lookAhead)
      throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(PENDING)) {
      st.setString(1, from.txId());
      st.setLong(2, from.ordering());
      st.setInt(3, lookAhead);
      st.setArray(4, connection.createArrayOf("text", manifests.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long events = rs.getLong(1);
        long oldest = rs.getLong(2);
        return new Pending(events, rs.wasNull() ? null : oldest);
      }
    }
  }

  /** Looks at up to {@code limit} rows after {@code from}, in commit order; keeps those with one of these manifests. */
  static Page after(Connection connection, List<String> manifests, Position from, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    Position scanned = null;
    try (PreparedStatement st = connection.prepareStatement(AFTER)) {
      st.setArray(1, connection.createArrayOf("text", manifests.toArray()));
      st.setString(2, from.txId());
      st.setLong(3, from.ordering());
      st.setInt(4, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          scanned = new Position(rs.getString(1), rs.getLong(2));
          byte[] payload = rs.getBytes(6);
          if (payload != null) {
            rows.add(new Row(scanned, rs.getString(3), rs.getInt(4), rs.getString(5), payload, rs.getLong(7)));
          }
        }
      }
    }
    return new Page(rows, scanned);
  }
}
