package io.tollgate.node.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.upstream.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

/** A deployment's breaker: opens on a failure rate or a run of failures, probes once after a while, closes on success. */
class CircuitBreakerTest {
  private long now = 1_000;
  private final CircuitBreaker breaker = new CircuitBreaker(30_000, () -> now);

  @Test
  void opensAfterFailuresInARowThenProbesOnceAndClosesOnSuccess() {
    for (int i = 0; i < CircuitBreaker.CONSECUTIVE - 1; i++) {
      assertTrue(breaker.tryAcquire());
      breaker.failed();
    }
    assertEquals(State.CLOSED, breaker.state(), "four failures in a row: still closed");
    breaker.tryAcquire();
    breaker.failed();
    assertEquals(State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire(), "open: no calls");

    now += 30_000;
    assertEquals(State.HALF_OPEN, breaker.state());
    assertTrue(breaker.tryAcquire(), "one probe");
    assertFalse(breaker.tryAcquire(), "and only one at a time");
    breaker.failed();
    assertEquals(State.OPEN, breaker.state(), "a failed probe opens it again");
    assertFalse(breaker.allows());

    now += 30_000;
    assertTrue(breaker.tryAcquire());
    breaker.succeeded();
    assertEquals(State.CLOSED, breaker.state(), "a probe that succeeds closes it");
    assertEquals(0, breaker.recentCalls(), "with a clean slate");
  }

  @Test
  void opensWhenHalfOfTheRecentCallsFailedNotBefore() {
    for (int i = 0; i < 12; i++) {
      breaker.tryAcquire();
      if (i % 3 == 0) {
        breaker.failed();
      } else {
        breaker.succeeded();
      }
    }
    assertEquals(State.CLOSED, breaker.state(), "a third failing, spread out");
    assertEquals(33, breaker.failurePercent());
    for (int i = 0; i < 4; i++) {
      breaker.tryAcquire();
      breaker.failed();
      breaker.tryAcquire();
      breaker.succeeded();
    }
    assertEquals(State.CLOSED, breaker.state(), "8 of 20 failed");
    breaker.tryAcquire();
    breaker.failed();
    breaker.tryAcquire();
    breaker.failed();
    assertEquals(State.CLOSED, breaker.state(), "9 of the last 20 (the oldest ones slid out)");
    breaker.tryAcquire();
    breaker.failed();
    assertEquals(State.OPEN, breaker.state(), "10 of the last 20 failed");
  }

  @Test
  void aProbeThatEndsWithoutAVerdictLetsTheNextOneThrough() {
    for (int i = 0; i < CircuitBreaker.CONSECUTIVE; i++) {
      breaker.failed();
    }
    now += 30_000;
    assertTrue(breaker.tryAcquire());
    breaker.released();
    assertTrue(breaker.tryAcquire(), "the client went away: another probe may go");
  }
}
