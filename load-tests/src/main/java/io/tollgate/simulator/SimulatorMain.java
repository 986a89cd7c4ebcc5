package io.tollgate.simulator;

import java.time.Duration;

/**
 * Runs the simulator from the command line:
 * {@code java -jar tollgate-load-tests-*-simulator.jar [--host 127.0.0.1] [--port 9090] [--latency-ms 0]
 * [--completion-tokens 16] [--tokens-per-chunk 1] [--chunk-delay-ms 0] [--error-rate 0]}.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    // Before anything touches CompletableFuture: at least two common-pool threads, never a thread per task.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    String host = "127.0.0.1";
    int port = 9090;
    SimulatorSettings s = SimulatorSettings.defaults();
    long latency = 0;
    long chunkDelay = 0;
    int completionTokens = s.completionTokens();
    int tokensPerChunk = s.tokensPerChunk();
    double errorRate = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--latency-ms" -> latency = Long.parseLong(value);
        case "--completion-tokens" -> completionTokens = Integer.parseInt(value);
        case "--tokens-per-chunk" -> tokensPerChunk = Integer.parseInt(value);
        case "--chunk-delay-ms" -> chunkDelay = Long.parseLong(value);
        case "--error-rate" -> errorRate = Double.parseDouble(value);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    SimulatorSettings settings = new SimulatorSettings(Duration.ofMillis(latency), completionTokens, tokensPerChunk,
        Duration.ofMillis(chunkDelay), errorRate);
    UpstreamSimulator simulator = UpstreamSimulator.start(host, port, settings);
    System.out.println("Upstream simulator listening on " + simulator.baseUrl().replace("127.0.0.1", host) + " " + settings);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    Thread.currentThread().join();
  }
}
