package io.tollgate.node.testkit;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up; for effects that land asynchronously (journal writes). */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
