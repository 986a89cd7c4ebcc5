package io.tollgate.simulator;

import java.time.Duration;

/**
 * How the simulator answers by default; each request can override with headers:
 * {@code X-Sim-Latency-Ms}, {@code X-Sim-Completion-Tokens}, {@code X-Sim-Chunk-Delay-Ms},
 * {@code X-Sim-Cached-Tokens}, {@code X-Sim-Reasoning-Tokens} and {@code X-Sim-Fault}
 * ({@code 429}, {@code 500}, {@code cut:<chunks>}, {@code no-usage}).
 *
 * @param latency time before the response headers (time to first token for streams)
 * @param completionTokens tokens generated when the request's max_tokens allows
 * @param tokensPerChunk tokens per streamed chunk
 * @param chunkDelay time between streamed chunks
 * @param errorRate share of requests (0..1) answered with an injected 500
 */
public record SimulatorSettings(
    Duration latency, int completionTokens, int tokensPerChunk, Duration chunkDelay, double errorRate) {

  public static SimulatorSettings defaults() {
    return new SimulatorSettings(Duration.ZERO, 16, 1, Duration.ZERO, 0.0);
  }

  public SimulatorSettings withLatency(Duration latency) {
    return new SimulatorSettings(latency, completionTokens, tokensPerChunk, chunkDelay, errorRate);
  }

  public SimulatorSettings withChunkDelay(Duration delay) {
    return new SimulatorSettings(latency, completionTokens, tokensPerChunk, delay, errorRate);
  }

  public SimulatorSettings withErrorRate(double rate) {
    return new SimulatorSettings(latency, completionTokens, tokensPerChunk, chunkDelay, rate);
  }
}
