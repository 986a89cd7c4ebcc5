package io.tollgate.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded PostgreSQL in a folder that survives restarts. A server left running by a node that
 * was killed (pg_ctl detaches it from the JVM) is stopped first, since it holds the folder's lock.
 *
 * <p>Its superuser has a password, generated once and kept in {@code <data dir>/db-password} (readable by its
 * owner only), and every connection must give it: zonky's default trusts any local user as superuser, who
 * could then read key hashes or run commands as the node's user.
 */
final class EmbeddedServer {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
  static final String USER = "postgres";

  private EmbeddedServer() {}

  /** A running server and its superuser's password. */
  record Started(EmbeddedPostgres server, String password) {
    String url() {
      return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
    }
  }

  static Started start(Path dataDir) {
    return start(dataDir, 0);
  }

  /** @param port a fixed port, or 0 for any free one */
  static Started start(Path dataDir, int port) {
    Path pgData = dataDir.resolve("postgres");
    try {
      Files.createDirectories(dataDir);
      Path passwordFile = dataDir.resolve("db-password");
      String password = Secret.readOrCreate(passwordFile);
      stopOrphan(pgData);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          // A new data folder gets password authentication from initdb (these come after zonky's "-A trust").
          .setLocaleConfig("auth", "scram-sha-256")
          .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
          .setConnectConfig("password", password); // zonky's own readiness check connects too
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres server = builder
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          // Its owner stops it: a JVM hook of its own would stop it at SIGTERM while the node is still
          // journaling the answers it gives during its graceful shutdown.
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          // Acks promise durability: commit waits for the WAL flush (zonky's default turns this off).
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_connections", "100")
          // A new WAL segment is otherwise zero-filled (16 MiB, then fsync) while every commit waits; on a
          // throttled disk that took 12 s, long enough to trip the journal's circuit breaker on every node.
          .setServerConfig("wal_init_zero", "off")
          // The server's own log, in <data dir>/postgres/log, a file per weekday overwritten a week later: its
          // output to the JVM is otherwise dropped, and with it every warning the server gives.
          .setServerConfig("logging_collector", "on")
          .setServerConfig("log_filename", "postgresql-%a.log")
          .setServerConfig("log_truncate_on_rotation", "on")
          .setServerConfig("log_rotation_age", "1d")
          .setServerConfig("log_rotation_size", "0")
          .setServerConfig("password_encryption", "scram-sha-256")
          .start();
      Started started = new Started(server, password);
      requirePassword(pgData, started);
      return started;
    } catch (IOException | SQLException | RuntimeException e) {
      throw new DatabaseUnavailableException(
          "The embedded PostgreSQL could not start in " + pgData.toAbsolutePath() + ": " + rootMessage(e)
              + ". Point the node at a PostgreSQL server instead with TOLLGATE_DB_URL (and TOLLGATE_DB_USER,"
              + " TOLLGATE_DB_PASSWORD), or choose another data folder with TOLLGATE_DATA_DIR.",
          e);
    }
  }

  /**
   * A data folder made before the password (its pg_hba.conf trusts local users): give the superuser the
   * password, then make every connection give it. Trust still lets this first connection in.
   */
  private static void requirePassword(Path pgData, Started started) throws IOException, SQLException {
    Path hba = pgData.resolve("pg_hba.conf");
    String rules = Files.readString(hba);
    if (!rules.matches("(?s).*\\btrust\\b.*")) {
      return;
    }
    try (Connection c = DriverManager.getConnection(started.url(), USER, started.password());
        Statement st = c.createStatement()) {
      st.execute("ALTER ROLE " + USER + " PASSWORD '" + started.password() + "'"); // hex: nothing to quote
      Files.writeString(hba, rules.replaceAll("\\btrust\\b", "scram-sha-256"));
      st.execute("SELECT pg_reload_conf()");
    }
    log.atInfo().addKeyValue("dir", pgData).log("embedded PostgreSQL now requires its password (db-password)");
  }

  /** Stops the server, logging rather than throwing if it does not stop cleanly. */
  static void stop(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("embedded PostgreSQL did not stop cleanly");
    }
  }

  /** Stops the server when the JVM exits, for owners that live as long as the JVM. */
  static void stopAtExit(EmbeddedPostgres server) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "stop-postgres"));
  }

  private static void stopOrphan(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> running = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
    if (running.isEmpty() || !running.get().isAlive()
        || !running.get().info().command().orElse("").contains("postgres")) {
      return; // a stale pid file; PostgreSQL cleans it up itself
    }
    log.atWarn().addKeyValue("pid", running.get().pid()).addKeyValue("dir", pgData)
        .log("stopping an embedded PostgreSQL left running by an earlier node");
    running.get().destroy(); // SIGTERM: a clean ("smart") shutdown
    try {
      running.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("the PostgreSQL left running (pid " + running.get().pid() + ") did not stop", e);
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
