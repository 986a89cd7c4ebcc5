package io.tollgate.persistence;

import java.nio.file.Path;

/**
 * Runs the embedded PostgreSQL on its own, on a fixed port, so several nodes on one machine can share it
 * without installing a server: {@code java -cp tollgate-node.jar io.tollgate.persistence.StandalonePostgres
 * [--dir ./tollgate-pg] [--port 5433]}. For trying a cluster out; production clusters use a real server.
 */
public final class StandalonePostgres {
  private StandalonePostgres() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("./tollgate-pg");
    int port = 5433;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    EmbeddedServer.Started started = EmbeddedServer.start(dir, port);
    EmbeddedServer.stopAtExit(started.server());
    System.out.println("PostgreSQL ready: TOLLGATE_DB_URL=jdbc:postgresql://127.0.0.1:" + started.server().getPort()
        + "/postgres TOLLGATE_DB_USER=postgres TOLLGATE_DB_PASSWORD=$(cat " + dir.resolve("db-password").toAbsolutePath()
        + ") (data in " + dir.toAbsolutePath() + ")");
    Thread.currentThread().join();
  }
}
