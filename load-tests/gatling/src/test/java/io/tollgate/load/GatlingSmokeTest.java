package io.tollgate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatling.app.Gatling$;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the suite from rotting: the simulations, shortened to seconds, against the real node and simulator
 * jars (as processes, the way operators run them), with their outcome assertions. Gatling's exit code is
 * 0 only when every assertion held.
 */
class GatlingSmokeTest {
  private static final String ADMIN_TOKEN = "smoke-admin-token-0123456789";
  @TempDir
  static Path dir;
  private static Process simulator;
  private static Process node;
  private static String gateway;

  @BeforeAll
  static void start() throws Exception {
    Path root = LoadSettings.root();
    Path nodeJar = root.resolve("gateway-node/target/tollgate-node.jar");
    Path simulatorJar;
    try (Stream<Path> jars = Files.list(root.resolve("load-tests/target"))) {
      simulatorJar = jars.filter(p -> p.getFileName().toString().endsWith("-simulator.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("build the simulator first: mvn -B -DskipTests package"));
    }
    assertTrue(Files.exists(nodeJar), "build the node first: mvn -B -DskipTests package");

    int simulatorPort = freePort();
    simulator = launch("simulator", Map.of(), "-Xmx256m", "-jar", simulatorJar.toString(), "--port", String.valueOf(simulatorPort));
    int httpPort = freePort();
    String sim = "http://127.0.0.1:" + simulatorPort;
    // Three deployments of one simulator, for Failover; a try that times out (3 s) can still be retried.
    Map<String, String> env = new HashMap<>(Map.of(
        "TOLLGATE_HTTP_PORT", String.valueOf(httpPort), "TOLLGATE_CLUSTER_PORT", String.valueOf(freePort()),
        "TOLLGATE_DATA_DIR", dir.resolve("node").toString(), "TOLLGATE_ADMIN_TOKEN", ADMIN_TOKEN,
        "TOLLGATE_KEY_PEPPER", "smoke-pepper-0123456789abcdef",
        "TOLLGATE_OPENAI_DEPLOYMENTS", "[{\"name\": \"east\", \"base_url\": \"" + sim + "/east/v1\"},"
            + " {\"name\": \"west\", \"base_url\": \"" + sim + "/west/v1\"},"
            + " {\"name\": \"north\", \"base_url\": \"" + sim + "/north/v1\"}]",
        "TOLLGATE_UPSTREAM_TIMEOUT", "3s", "TOLLGATE_UPSTREAM_RETRY_WITHIN", "10s", "TOLLGATE_ACCESS_LOG", "off"));
    if (System.getenv("TOLLGATE_DB_URL") != null) {
      env.put("TOLLGATE_DB_SCHEMA", "gatling_smoke_" + Long.toString(System.currentTimeMillis(), 36));
    }
    node = launch("node", env, "-Xmx512m", "-jar", nodeJar.toString());
    gateway = "http://127.0.0.1:" + httpPort;
    awaitReady(gateway + "/health/ready", Duration.ofSeconds(120));

    System.setProperty("gateway", gateway);
    System.setProperty("nodes", gateway);
    System.setProperty("adminToken", ADMIN_TOKEN);
    System.setProperty("simulator", sim);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : new Process[] {node, simulator}) {
      if (p != null) {
        p.destroy(); // SIGTERM: the node drains and leaves
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void steadyMixServesEveryRequest() {
    assertEquals(0, run(SteadyMix.class, Map.of("orgs", "20", "rate", "20", "durationSeconds", "5")));
  }

  @Test
  void budgetExactNeverSpendsPastTheBudget() {
    assertEquals(0, run(BudgetExact.class, Map.of("concurrency", "16", "durationSeconds", "5", "budgetUsd", "0.002")));
  }

  @Test
  void scopedLimitsAdmitExactlyEachLimit() {
    assertEquals(0, run(ScopedLimits.class, Map.of("teamLimit", "6", "customerLimit", "4", "keyLimit", "5")));
  }

  @Test
  void idempotencyBillsEachKeyOnce() {
    assertEquals(0, run(Idempotency.class, Map.of("requests", "20", "durationSeconds", "3")));
  }

  @Test
  void failoverAbsorbsAFailingAndAHangingDeployment() {
    assertEquals(0, run(Failover.class, Map.of("rate", "10", "durationSeconds", "12")));
  }

  private static int run(Class<?> simulation, Map<String, String> settings) {
    settings.forEach(System::setProperty);
    try {
      String results = System.getProperty("gatling.resultsFolder", dir.resolve("gatling").toString());
      return Gatling$.MODULE$.fromArgs(new String[] {"-s", simulation.getName(), "-rf", results});
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }
  }

  private static Process launch(String name, Map<String, String> env, String... javaArgs) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(javaArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void awaitReady(String url, Duration within) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!node.isAlive()) {
        throw new IllegalStateException("the node exited: " + Files.readString(dir.resolve("node.log")));
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the node was not ready within " + within + ": " + Files.readString(dir.resolve("node.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
