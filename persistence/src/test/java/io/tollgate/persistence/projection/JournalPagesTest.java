package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.projection.JournalPages.Position;
import io.tollgate.persistence.projection.ProjectionProgress.Progress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalPagesTest {
  private static final String USAGE = "usage-manifest";

  /** Rows written by transactions whose ids have different numbers of digits, in an ordering unlike theirs. */
  @Test
  void pagesVisitEveryRowOnceInTransactionOrderWhateverTheNumberOfDigits() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        burnTransactionIdsPast(c, 1_000); // the ids below must be of finished transactions
        long[][] txAndOrdering = {{100, 1}, {9, 2}, {99, 3}, {10, 4}, {100, 5}, {999, 6}, {101, 7}, {9, 8}};
        for (long[] row : txAndOrdering) {
          write(c, row[0], row[1], USAGE);
        }
        write(c, 50, 9, "another-manifest");

        List<String> read = new ArrayList<>();
        List<String> scanned = new ArrayList<>();
        Position from = Position.START;
        for (JournalPages.Page page = JournalPages.after(c, List.of(USAGE), from, 2); page.scannedTo() != null;
            page = JournalPages.after(c, List.of(USAGE), from, 2)) {
          page.rows().forEach(r -> read.add(r.position().toString()));
          from = page.scannedTo();
          scanned.add(from.toString());
        }

        assertEquals(List.of("9:2", "9:8", "10:4", "99:3", "100:1", "100:5", "101:7", "999:6"), read);
        assertEquals(List.of("9:8", "50:9", "100:1", "101:7", "999:6"), scanned,
            "pages of two rows, the other type's row looked at and passed, never again");
        // Resuming from a stored offset reads only what follows it.
        assertEquals(List.of("101:7", "999:6"), JournalPages.after(c, List.of(USAGE), Position.parse("100:5"), 10).rows()
            .stream().map(r -> r.position().toString()).toList());
      }
    }
  }

  @Test
  void rowsOfATransactionStillRunningWaitUntilItEnds() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection writer = db.dataSource().getConnection(); Connection reader = db.dataSource().getConnection()) {
        writer.setAutoCommit(false);
        try (PreparedStatement st = writer.prepareStatement(INSERT_WITH_OWN_ID)) { // this transaction's own id
          st.setString(1, USAGE);
          st.executeUpdate();
        }
        assertEquals(0, JournalPages.after(reader, List.of(USAGE), Position.START, 10).rows().size());
        writer.commit();
        assertEquals(1, JournalPages.after(reader, List.of(USAGE), Position.START, 10).rows().size());
      }
    }
  }

  @Test
  void progressCountsEachProjectionsEventsAfterItsOffsetAndTheOldestOfThem() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        burnTransactionIdsPast(c, 1_000);
        write(c, 100, 1, USAGE, 1_000);
        write(c, 101, 2, "webhook-manifest", 2_000);
        write(c, 102, 3, USAGE, 3_000);
        write(c, 103, 4, USAGE, 4_000);
        try (Statement st = c.createStatement()) {
          st.executeUpdate("INSERT INTO pekko_projection_offset_store (projection_name, projection_key, current_offset,"
              + " manifest, mergeable, last_updated) VALUES ('usage', 'journal', '100:1', 'STR', false, 5000)");
        }
        Map<String, List<String>> projections = new LinkedHashMap<>();
        projections.put("usage", List.of(USAGE));
        projections.put("webhooks", List.of("webhook-manifest"));
        projections.put("idle", List.of("no-such-manifest"));
        assertEquals(List.of(new Progress("usage", 2, 3_000L, 5_000L), new Progress("webhooks", 1, 2_000L, null),
                new Progress("idle", 0, null, null)),
            new ProjectionProgress(db.dataSource(), projections).read(),
            "usage has read the first of its three; webhooks, which never stored an offset, has its one to read");
      }
    }
  }

  private static final String INSERT_WITH_OWN_ID = """
      INSERT INTO event_journal (persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest, event_payload)
      VALUES ('org|acme', 1, 'w', 1, ?, '\\x00'::bytea)
      """;

  private static void write(Connection c, long txId, long ordering, String manifest) throws SQLException {
    write(c, txId, ordering, manifest, 0);
  }

  private static void write(Connection c, long txId, long ordering, String manifest, long writtenAtMillis)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("""
        INSERT INTO event_journal (ordering, persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest,
          event_payload, write_timestamp, tx_id)
        VALUES (?, 'org|acme', ?, 'w', 1, ?, '\\x00'::bytea, ?, ?::text::xid8)
        """)) {
      st.setLong(1, ordering);
      st.setLong(2, ordering);
      st.setString(3, manifest);
      st.setLong(4, writtenAtMillis);
      st.setLong(5, txId);
      st.executeUpdate();
    }
  }

  private static void burnTransactionIdsPast(Connection c, long id) throws SQLException {
    try (Statement st = c.createStatement()) {
      long current;
      do {
        try (ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
          rs.next();
          current = rs.getLong(1);
        }
      } while (current <= id);
    }
  }
}
