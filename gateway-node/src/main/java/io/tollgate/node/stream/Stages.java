package io.tollgate.node.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pekko's Java API returns stages whose plain callbacks run on {@code ForkJoinPool.commonPool()}, which on two
 * CPUs or fewer starts a thread per callback (docs/benchmarks.md); these run them where the stage completes.
 */
public final class Stages {
  private Stages() {}

  /** The same outcome as a plain future, completed on the thread that completes {@code stage}. */
  public static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        plain.completeExceptionally(failure);
      } else {
        plain.complete(value);
      }
    }, Runnable::run);
    return plain;
  }

  /**
   * Gives the common pool at least two threads, so that no library's async callback falls back to a thread
   * per task. Must run before anything touches {@code CompletableFuture}: first thing in {@code main}.
   */
  public static void ensureCommonPoolParallelism() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }
}
