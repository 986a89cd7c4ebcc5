package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.projection.JournalPages.Position;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * usage_daily and the request log were two projections at two offsets; V21 makes them one. Each read model must
 * skip exactly the journal rows it already holds, whichever of the two was ahead.
 */
class ReadModelFloorsTest {
  @Test
  void aReadModelHoldsTheRowsAtOrBeforeItsFloorInCommitOrder() {
    ReadModelFloors floors = new ReadModelFloors(Map.of(ReadModelFloors.USAGE_DAILY, Position.parse("100:5")));

    assertTrue(floors.holds(ReadModelFloors.USAGE_DAILY, "100:5"));
    assertTrue(floors.holds(ReadModelFloors.USAGE_DAILY, "99:900"));
    assertTrue(floors.holds(ReadModelFloors.USAGE_DAILY, "9:1"), "transaction 9 is before 100, though not as text");
    assertFalse(floors.holds(ReadModelFloors.USAGE_DAILY, "100:6"));
    assertFalse(floors.holds(ReadModelFloors.USAGE_DAILY, "1000:1"));
    assertFalse(floors.holds(ReadModelFloors.REQUEST_LOG, "1:1"), "a read model without a floor holds nothing yet");
  }

  @Test
  void theMergedProjectionStartsFromTheLowerOffsetAndEachReadModelSkipsWhatItHas() throws SQLException {
    try (Database db = upgradedFromV20(Map.of("usage-daily", "9:7", "request-log", "10:2"))) {
      try (Connection c = db.dataSource().getConnection()) {
        assertEquals(Map.of("request-log", "9:7"), offsets(c), "from the lower, by transaction id as a number");
        ReadModelFloors floors = ReadModelFloors.load(c);
        assertTrue(floors.holds(ReadModelFloors.USAGE_DAILY, "9:7"));
        assertFalse(floors.holds(ReadModelFloors.USAGE_DAILY, "10:1"));
        assertTrue(floors.holds(ReadModelFloors.REQUEST_LOG, "10:2"));
        assertFalse(floors.holds(ReadModelFloors.REQUEST_LOG, "10:3"));

        floors.passed(c, "10:1");
        assertEquals(Map.of("request_log", "10:2"), floorRows(c), "usage_daily's floor is passed and forgotten");
        assertTrue(floors.holds(ReadModelFloors.REQUEST_LOG, "10:2"));
        floors.passed(c, "10:5");
        assertEquals(Map.of(), floorRows(c));
      }
    }
  }

  @Test
  void aReadModelWithoutAnOffsetIsAtTheStartAndSoIsTheMergedProjection() throws SQLException {
    try (Database db = upgradedFromV20(Map.of("request-log", "10:2"))) {
      try (Connection c = db.dataSource().getConnection()) {
        assertEquals(Map.of(), offsets(c), "usage_daily had nothing yet: the merged projection replays from the start");
        assertEquals(Map.of("request_log", "10:2"), floorRows(c));
      }
    }
  }

  /** A database at V20 with these projections' offsets, migrated to the latest version. */
  private static Database upgradedFromV20(Map<String, String> offsets) throws SQLException {
    DatabaseSettings settings = TestDatabases.freshSchema();
    String url = settings.url() + (settings.url().contains("?") ? "&" : "?") + "currentSchema=" + settings.schema();
    Flyway.configure().dataSource(url, settings.user(), settings.password()).schemas(settings.schema())
        .createSchemas(true).locations("classpath:db/migration").target("20").load().migrate();
    Database db = Database.open(settings);
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      for (Map.Entry<String, String> o : offsets.entrySet()) {
        st.executeUpdate("INSERT INTO pekko_projection_offset_store (projection_name, projection_key, current_offset,"
            + " manifest, mergeable, last_updated) VALUES ('" + o.getKey() + "', 'journal', '" + o.getValue()
            + "', 'STR', false, 0)");
      }
    }
    db.migrate();
    return db;
  }

  private static Map<String, String> offsets(Connection c) throws SQLException {
    return pairs(c, "SELECT projection_name, current_offset FROM pekko_projection_offset_store");
  }

  private static Map<String, String> floorRows(Connection c) throws SQLException {
    return pairs(c, "SELECT read_model, after_offset FROM read_model_floors");
  }

  private static Map<String, String> pairs(Connection c, String sql) throws SQLException {
    Map<String, String> pairs = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        pairs.put(rs.getString(1), rs.getString(2));
      }
    }
    return pairs;
  }
}
