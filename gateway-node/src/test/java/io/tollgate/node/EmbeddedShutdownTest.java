package io.tollgate.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code java -jar tollgate-node.jar} on its embedded PostgreSQL, stopped with
 * SIGTERM while answers are in flight. The node journals them during its graceful shutdown, so the
 * database has to outlive the node, in the same JVM.
 */
class EmbeddedShutdownTest {
  private static final Pattern READY = Pattern.compile("Tollgate is ready on (http://\\S+)");
  private static final int IN_FLIGHT = 4;

  @Test
  void answersInFlightAtSigtermAreJournaledBeforeTheEmbeddedDatabaseStops(@TempDir Path dataDir) throws Exception {
    SimulatorSettings slow = SimulatorSettings.defaults().withLatency(Duration.ofSeconds(2));
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, slow)) {
      NodeProcess node = NodeProcess.start(dataDir, simulator.baseUrl());
      AdminClient admin = new AdminClient(node.baseUrl(), Files.readString(dataDir.resolve("admin-token")).trim());
      admin.createOrg("late", null);
      String key = admin.issueKey("late");
      List<CompletableFuture<Integer>> answers = IntStream.range(0, IN_FLIGHT)
          .mapToObj(i -> ProxyClient.postAsync(node.baseUrl() + "/v1/chat/completions", key,
              ProxyClient.chat("gpt-4o-mini", "still there?", 8, false)).thenApply(r -> r.statusCode()))
          .toList();
      Eventually.await(Duration.ofSeconds(10), () -> assertEquals(IN_FLIGHT, simulator.requests()));

      node.terminate();
      for (CompletableFuture<Integer> answer : answers) {
        assertEquals(200, answer.get(10, TimeUnit.SECONDS));
      }

      NodeProcess again = NodeProcess.start(dataDir, simulator.baseUrl());
      try {
        AdminClient admin2 = new AdminClient(again.baseUrl(), Files.readString(dataDir.resolve("admin-token")).trim());
        assertEquals(IN_FLIGHT, admin2.quota("late").at("/usage/monthly_requests").asLong(),
            "every answer given during the shutdown is in the journal");
      } finally {
        again.terminate();
      }
    }
  }

  /** The node as its own JVM, as {@code java -jar} runs it; its output is shown if it does not start. */
  private record NodeProcess(Process process, String baseUrl) {
    static NodeProcess start(Path dataDir, String upstream) throws IOException, InterruptedException {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
          .redirectErrorStream(true);
      builder.environment().put("TOLLGATE_DATA_DIR", dataDir.toString());
      builder.environment().put("TOLLGATE_HTTP_PORT", "0");
      builder.environment().put("TOLLGATE_CLUSTER_PORT", "0");
      builder.environment().put("TOLLGATE_OPENAI_BASE_URL", upstream);
      builder.environment().put("TOLLGATE_ACCESS_LOG", "off");
      Process process = builder.start();
      List<String> output = new CopyOnWriteArrayList<>();
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.add(line);
            Matcher m = READY.matcher(line);
            if (m.find()) {
              ready.complete(m.group(1));
            }
          }
        } catch (IOException e) {
          ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the node exited before it was ready"));
      }, "node-output");
      reader.setDaemon(true);
      reader.start();
      try {
        return new NodeProcess(process, ready.get(90, TimeUnit.SECONDS));
      } catch (Exception e) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("the node did not start: " + String.join("\n", output), e);
      }
    }

    /** SIGTERM, as an orchestrator stops a node, and waits for it to exit. */
    void terminate() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("the node did not stop within 90 s");
      }
    }
  }
}
