package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MinuteTally;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.UtcPeriods;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateWindowTest {
  private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
  private static final long MINUTE = UtcPeriods.minuteOf(T0);

  @Test
  void aRestartResumesTheJournaledMinuteOnlyIfItIsStillThisOne() {
    RateWindow resumed = new RateWindow(T0 + 30_000, new MinuteTally(MINUTE, 4, 400));
    assertEquals(4, resumed.requests());
    assertEquals(400, resumed.tokens());
    RateWindow fresh = new RateWindow(T0 + 60_000, new MinuteTally(MINUTE, 4, 400));
    assertEquals(0, fresh.requests());
    assertEquals(0, new RateWindow(T0, MinuteTally.NONE).tokens());
  }

  @Test
  void aNewMinuteOpensEmpty() {
    RateWindow window = new RateWindow(T0, MinuteTally.NONE);
    window.admit(100);
    window.roll(T0 + 59_999);
    assertEquals(1, window.requests());
    window.roll(T0 + 60_000);
    assertEquals(0, window.requests());
    assertEquals(0, window.tokens());
    assertEquals(MINUTE + 1, window.minute());
  }

  @Test
  void aHoldCountsItsEstimateUntilSettledOrWithdrawn() {
    RateWindow window = new RateWindow(T0, MinuteTally.NONE);
    window.admit(600);
    window.admit(300);
    window.settle(MINUTE, 600, 100);
    assertEquals(2, window.requests());
    assertEquals(400, window.tokens(), "600 estimated became 100 used");
    window.withdraw(MINUTE, 300);
    assertEquals(1, window.requests());
    assertEquals(100, window.tokens());
  }

  @Test
  void holdsFromAnOlderMinuteLeaveTheNewWindowAlone() {
    RateWindow window = new RateWindow(T0, MinuteTally.NONE);
    window.admit(600);
    window.admit(300);
    window.roll(T0 + 60_000);
    window.admit(50);
    window.settle(MINUTE, 600, 100);
    window.withdraw(MINUTE, 300);
    assertEquals(1, window.requests());
    assertEquals(50, window.tokens());
  }

  @Test
  void aRequestAdmittedBeforeARestartCountsInTheMinuteItWasAdmittedIn() {
    RateWindow window = new RateWindow(T0 + 1_000, MinuteTally.NONE);
    window.settleUncounted(T0 + 500, 70);
    window.settleUncounted(T0 - 1, 9_999);
    assertEquals(1, window.requests());
    assertEquals(70, window.tokens());
  }

  @Test
  void theStatusSaysWhatIsLeftAndWhenItResets() {
    RateWindow window = new RateWindow(T0 + 15_000, MinuteTally.NONE);
    window.admit(900);
    window.admit(900);
    RateLimitStatus status = window.status(new Limits(5L, 1_000L, null, null));
    assertEquals(3, status.requestsRemaining());
    assertEquals(0, status.tokensRemaining(), "never negative");
    assertEquals(T0 + 60_000, status.resetAtMillis());
    RateLimitStatus unlimited = window.status(Limits.UNLIMITED);
    assertNull(unlimited.requestLimit());
    assertEquals(0, unlimited.requestsRemaining());
  }

  @Test
  void retryAfterIsTheWholeSecondsToTheNextMinuteAndAtLeastOne() {
    RateWindow window = new RateWindow(T0, MinuteTally.NONE);
    assertEquals(60, window.secondsToNext(T0));
    assertEquals(45, window.secondsToNext(T0 + 15_000));
    assertEquals(1, window.secondsToNext(T0 + 59_500));
    assertEquals(1, window.secondsToNext(T0 + 59_999));
  }
}
