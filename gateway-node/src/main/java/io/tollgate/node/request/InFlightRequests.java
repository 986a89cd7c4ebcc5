package io.tollgate.node.request;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts this node's request actors, so shutdown can wait until every one has answered and settled, and
 * holds new requests back while too many answered requests wait for the journal to take their usage.
 *
 * <p>That wait is the node's back-pressure: a journal slower than the requests (the database, or the CPU
 * it shares) would otherwise let settling requests pile up without bound while clients, already answered,
 * send more. Requests waiting on their provider are not counted, so long streams never hold others back.
 */
public final class InFlightRequests {
  private static final CompletionStage<Boolean> ROOM = CompletableFuture.completedStage(true);

  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger settling = new AtomicInteger();
  private final int maxSettling;
  private final Queue<CompletableFuture<Boolean>> waiting = new ConcurrentLinkedQueue<>();

  /** @param maxSettling answered requests whose usage may wait for the journal before new requests wait too */
  public InFlightRequests(int maxSettling) {
    this.maxSettling = maxSettling;
  }

  /**
   * Completes with true once the journal has room for one more request's usage (at once, normally), or
   * with false if it has none within {@code maxWait}.
   */
  public CompletionStage<Boolean> journalRoom(Duration maxWait) {
    if (settling.get() < maxSettling) {
      return ROOM;
    }
    CompletableFuture<Boolean> room = new CompletableFuture<>();
    waiting.add(room);
    releaseOneWaiting(); // settlements may all have ended since the check above
    return room.completeOnTimeout(false, maxWait.toMillis(), TimeUnit.MILLISECONDS);
  }

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

  /** A request actor is done (or never started): its place may go to a request waiting for the journal. */
  public void finished() {
    count.decrementAndGet();
    releaseOneWaiting();
  }

  /** An answered request now waits for the journal to take its usage. */
  public void settlingStarted() {
    settling.incrementAndGet();
  }

  /** ... and no longer does (acknowledged, or given up on); {@link #finished} follows. */
  public void settlingEnded() {
    settling.decrementAndGet();
  }

  /**
   * One request out, one in: a released request is not settling yet, so releasing more than one per
   * request finished would let a burst through, and releasing none when one finished without settling
   * (refused, unmetered) could leave a waiter waiting with room free.
   */
  private void releaseOneWaiting() {
    while (settling.get() < maxSettling) {
      CompletableFuture<Boolean> next = waiting.poll();
      if (next == null || next.complete(true)) {
        return;
      } // else it had given up already: the place goes to the next one
    }
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
