package io.tollgate.node.upstream;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The health of one deployment as its calls went: closed (calls go), open after too many failures (calls go
 * elsewhere until {@code openMillis} have passed), then half-open (one probe at a time; its success closes the
 * breaker, its failure opens it again). Opens when at least half of the last {@link #WINDOW} calls failed (with
 * at least {@link #MIN_CALLS} of them), or after {@link #CONSECUTIVE} failures in a row. Thread-safe.
 */
public final class CircuitBreaker {
  static final int WINDOW = 20;
  static final int MIN_CALLS = 10;
  static final int CONSECUTIVE = 5;

  /** What a breaker is doing. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final long openMillis;
  private final LongSupplier clock;
  private final boolean[] failed = new boolean[WINDOW];
  private int calls;
  private int next;
  private int failures;
  private int inARow;
  private State state = State.CLOSED;
  private long openedAt;
  private boolean probing;

  public CircuitBreaker(long openMillis, LongSupplier clock) {
    this.openMillis = openMillis;
    this.clock = clock;
  }

  /** True if a call may go now; in half-open, true for one probe at a time (the caller must then report it). */
  public synchronized boolean tryAcquire() {
    refresh();
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (probing) {
          yield false;
        }
        probing = true;
        yield true;
      }
    };
  }

  /** True if a call would be let through now (nothing is reserved). */
  public synchronized boolean allows() {
    refresh();
    return state == State.CLOSED || state == State.HALF_OPEN && !probing;
  }

  public synchronized void succeeded() {
    if (state == State.HALF_OPEN) {
      reset();
      return;
    }
    record(false);
    inARow = 0;
  }

  public synchronized void failed() {
    if (state == State.HALF_OPEN) {
      open();
      return;
    }
    record(true);
    inARow++;
    if (state == State.CLOSED && (inARow >= CONSECUTIVE || calls >= MIN_CALLS && failures * 2 >= calls)) {
      open();
    }
  }

  /** The call given by {@link #tryAcquire} ended without telling whether the deployment is healthy. */
  public synchronized void released() {
    if (state == State.HALF_OPEN) {
      probing = false;
    }
  }

  public synchronized State state() {
    refresh();
    return state;
  }

  /** When calls may go again: the end of the open period while open, else 0 (now). */
  public synchronized long reopensAtMillis() {
    return state == State.OPEN ? openedAt + openMillis : 0;
  }

  /** The share of recent calls that failed, in percent, over how many calls. */
  public synchronized int failurePercent() {
    return calls == 0 ? 0 : failures * 100 / calls;
  }

  public synchronized int recentCalls() {
    return calls;
  }

  /** An open breaker whose open time has passed is half-open. */
  private void refresh() {
    if (state == State.OPEN && clock.getAsLong() - openedAt >= openMillis) {
      state = State.HALF_OPEN;
      probing = false;
    }
  }

  private void record(boolean failure) {
    if (calls == WINDOW) {
      if (failed[next]) {
        failures--;
      }
    } else {
      calls++;
    }
    failed[next] = failure;
    if (failure) {
      failures++;
    }
    next = (next + 1) % WINDOW;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clock.getAsLong();
    probing = false;
  }

  private void reset() {
    state = State.CLOSED;
    calls = 0;
    next = 0;
    failures = 0;
    inARow = 0;
    probing = false;
    Arrays.fill(failed, false);
  }
}
