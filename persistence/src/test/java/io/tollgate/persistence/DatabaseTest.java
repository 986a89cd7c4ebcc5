package io.tollgate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @Test
  void migratesTheJournalSchemaIntoItsOwnSchema() throws SQLException {
    DatabaseSettings settings = TestDatabases.freshSchema();
    try (Database db = Database.open(settings)) {
      db.migrate();
      db.migrate(); // a second node starting on the same database finds nothing to do
      assertTrue(db.ping(Duration.ofSeconds(2)));
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
              + settings.schema() + "' AND table_name IN ('event_journal', 'event_tag', 'snapshot')")) {
        rs.next();
        assertEquals(3, rs.getInt(1));
      }
      Config journal = db.journalConfig();
      String url = journal.getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
      assertTrue(url.contains("reWriteBatchedInserts=true") && url.contains("currentSchema=" + settings.schema()), url);
      assertEquals("jdbc-journal", journal.getString("pekko.persistence.journal.plugin"));
      try (Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW idle_in_transaction_session_timeout")) {
        rs.next();
        assertEquals("1min", rs.getString(1), "twice the 30 s socket timeout, for the journal's sessions too");
      }
    }
  }

  @Test
  void aTransactionLeftIdleByItsClientDoesNotKeepItsLocks() throws SQLException {
    DatabaseSettings shared = TestDatabases.freshSchema();
    DatabaseSettings settings = new DatabaseSettings(shared.url(), shared.user(), shared.password(), shared.schema(),
        null, 2, Duration.ofSeconds(1));
    String insert = "INSERT INTO snapshot VALUES ('org|x', 1, 0, 1, 'm', 'payload'::bytea, null, null, null)";
    try (Database db = Database.open(settings)) {
      db.migrate();
      try (Connection abandoned = db.dataSource().getConnection(); Connection next = db.dataSource().getConnection()) {
        abandoned.setAutoCommit(false);
        abandoned.createStatement().execute(insert); // then its client goes quiet, as a partitioned node would
        next.setNetworkTimeout(Runnable::run, 20_000); // this one waits longer than the 1 s of the settings
        long start = System.nanoTime();
        next.createStatement().execute(insert); // the same key: waits for the abandoned transaction to end
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 1_000 && waitedMillis < 15_000, "the server ended it after ~2 s: " + waitedMillis);
        assertThrows(SQLException.class, () -> abandoned.createStatement().execute("SELECT 1"));
      }
    }
  }

  @Test
  void theEmbeddedServerKeepsItsDataAndItsLogAcrossRestarts(@TempDir Path dataDir) throws SQLException {
    DatabaseSettings settings = new DatabaseSettings(null, null, null, null, dataDir, 2,
        TestDatabases.SOCKET_TIMEOUT);
    try (Database db = Database.open(settings)) {
      assertTrue(db.embedded());
      db.migrate();
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("INSERT INTO snapshot VALUES ('org|x', 1, 0, 1, 'm', 'payload'::bytea, null, null, null)");
      }
    }
    assertTrue(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")));
    assertTrue(serverLog(dataDir).contains("database system is shut down"),
        "the server's own log is kept in its folder: " + serverLog(dataDir));
    try (Database db = Database.open(settings);
        Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT persistence_id FROM snapshot")) {
      assertTrue(rs.next());
      assertEquals("org|x", rs.getString(1));
      assertFalse(rs.next());
    }
  }

  @Test
  void theEmbeddedServerLetsInOnlyWhoHasItsPassword(@TempDir Path dataDir) throws Exception {
    EmbeddedServer.Started first = EmbeddedServer.start(dataDir);
    try {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dataDir.resolve("db-password"))));
      assertRefused(first.url(), "");
      assertRefused(first.url(), "wrong");
      java.sql.DriverManager.getConnection(first.url(), EmbeddedServer.USER, first.password()).close();
    } finally {
      EmbeddedServer.stop(first.server());
    }
    // A folder made before the password trusted every local user: its next start ends that.
    Path hba = dataDir.resolve("postgres").resolve("pg_hba.conf");
    Files.writeString(hba, Files.readString(hba).replace("scram-sha-256", "trust"));
    EmbeddedServer.Started again = EmbeddedServer.start(dataDir);
    try {
      assertEquals(first.password(), again.password(), "the same password, kept in the data folder");
      assertRefused(again.url(), "");
      java.sql.DriverManager.getConnection(again.url(), EmbeddedServer.USER, again.password()).close();
    } finally {
      EmbeddedServer.stop(again.server());
    }
  }

  private static void assertRefused(String url, String password) {
    SQLException e = assertThrows(SQLException.class,
        () -> java.sql.DriverManager.getConnection(url, EmbeddedServer.USER, password).close());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
  }

  private static String serverLog(Path dataDir) {
    try (Stream<Path> files = Files.list(dataDir.resolve("postgres").resolve("log"))) {
      StringBuilder log = new StringBuilder();
      for (Path file : files.toList()) {
        log.append(Files.readString(file));
      }
      return log.toString();
    } catch (IOException e) {
      return "no log: " + e;
    }
  }

  @Test
  void anUnreachableServerIsReportedWithWhatToDo() {
    DatabaseSettings nowhere = new DatabaseSettings(
        "jdbc:postgresql://127.0.0.1:1/none?password=hunter2", "u", "hunter2", null, null, 2,
        TestDatabases.SOCKET_TIMEOUT);
    DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class, () -> Database.open(nowhere));
    assertTrue(e.getMessage().contains("TOLLGATE_DB_URL"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "no secret in the message: " + e.getMessage());
  }
}
