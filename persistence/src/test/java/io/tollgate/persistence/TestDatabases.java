package io.tollgate.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The PostgreSQL tests run against: the server named by {@code TOLLGATE_DB_URL} (with
 * {@code TOLLGATE_DB_USER}, {@code TOLLGATE_DB_PASSWORD}) when set, else one embedded server per test JVM.
 * Every call gets a schema of its own, so tests never see each other's journals.
 */
public final class TestDatabases {
  /** The node's default ({@code tollgate.db.socket-timeout}). */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
  private static EmbeddedServer.Started shared;

  private TestDatabases() {}

  /** Settings for a new, empty schema; reuse the same settings to "restart on the same database". */
  public static DatabaseSettings freshSchema() {
    String schema = "t_" + RUN + "_" + SCHEMAS.incrementAndGet();
    String url = System.getenv("TOLLGATE_DB_URL");
    if (url != null && !url.isBlank()) {
      return new DatabaseSettings(url, System.getenv("TOLLGATE_DB_USER"), System.getenv("TOLLGATE_DB_PASSWORD"),
          schema, null, 4, SOCKET_TIMEOUT);
    }
    EmbeddedServer.Started server = sharedEmbedded();
    return new DatabaseSettings(server.url(), EmbeddedServer.USER, server.password(), schema, null, 4, SOCKET_TIMEOUT);
  }

  private static synchronized EmbeddedServer.Started sharedEmbedded() {
    if (shared == null) {
      Path dir = Path.of("target", "test-postgres");
      deleteRecursively(dir);
      shared = EmbeddedServer.start(dir);
      EmbeddedServer.stopAtExit(shared.server());
    }
    return shared;
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
