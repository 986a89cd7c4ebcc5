package io.tollgate.node.request;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts this node's request actors, so shutdown can wait until every one has answered and settled. */
public final class InFlightRequests {
  private final AtomicInteger count = new AtomicInteger();

  /** Takes a place for one more request unless {@code max} are already in flight. */
  public boolean tryStart(int max) {
    while (true) {
      int now = count.get();
      if (now >= max) {
        return false;
      }
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void finished() {
    count.decrementAndGet();
  }

  /** Request actors alive on this node: answering, or settling their usage. */
  public int count() {
    return count.get();
  }

  /** Waits until none is left or the time is up; returns how many are left. */
  public int awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return count.get();
  }
}
