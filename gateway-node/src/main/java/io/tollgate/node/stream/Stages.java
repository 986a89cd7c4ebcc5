package io.tollgate.node.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pekko's Java API returns Scala-backed stages whose plain callbacks ({@code thenApply},
 * {@code whenComplete}, ...) always run asynchronously on {@code ForkJoinPool.commonPool()}; on a machine
 * with two CPUs or fewer that pool has parallelism 1 and {@code CompletableFuture} then starts a new thread
 * for every callback. Measured here, that capped a node near 300 requests a second.
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
