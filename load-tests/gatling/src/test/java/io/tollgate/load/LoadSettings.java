package io.tollgate.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Where the simulations aim and how hard, from system properties ({@code -Dgateway=...}), with defaults for
 * the local cluster of {@code ops/local-cluster.sh}. Everything is aimed at 127.0.0.1 unless told otherwise.
 */
final class LoadSettings {
  private LoadSettings() {}

  /** The base URL load goes to: the load balancer of the local cluster by default. */
  static String gateway() {
    return System.getProperty("gateway", "http://127.0.0.1:8080");
  }

  /** The nodes themselves, for simulations that spread requests over every node on purpose. */
  static List<String> nodes() {
    return Arrays.stream(System.getProperty("nodes", "http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083")
        .split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The admin token: -DadminToken, else TOLLGATE_ADMIN_TOKEN, else the local cluster's file. */
  static String adminToken() {
    String token = System.getProperty("adminToken", System.getenv("TOLLGATE_ADMIN_TOKEN"));
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    for (Path file : List.of(Path.of("tollgate-cluster/admin-token"), root().resolve("tollgate-cluster/admin-token"))) {
      if (Files.isReadable(file)) {
        try {
          return Files.readString(file).trim();
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + file, e);
        }
      }
    }
    throw new IllegalStateException("no admin token: pass -DadminToken=... or start ops/local-cluster.sh");
  }

  /** The repository's root (for the ops script and the local cluster's files). */
  static Path root() {
    return Path.of(System.getProperty("tollgate.root", "../..")).toAbsolutePath().normalize();
  }

  static Duration duration(Duration fallback) {
    return Duration.ofSeconds(Long.getLong("durationSeconds", fallback.toSeconds()));
  }

  static int integer(String name, int fallback) {
    return Integer.getInteger(name, fallback);
  }

  static String model() {
    return System.getProperty("model", "gpt-4o-mini");
  }

  /** The burst must fall in one UTC minute, which is what the limit counts: wait for a fresh one if needed. */
  static void awaitRoomInThisMinute() {
    long second = Instant.now().getEpochSecond() % 60;
    if (second > 45) {
      try {
        Thread.sleep((61 - second) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
