package io.tollgate.node.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  @Test
  void waitsGrowWithinAFifthEitherWayAndEndAfterTheEighthAttempt() {
    Random random = new Random(7);
    Duration total = Duration.ZERO;
    Duration longest = Duration.ZERO;
    for (int attempt = 1; attempt <= 7; attempt++) {
      Duration nominal = RetrySchedule.WAITS.get(attempt - 1);
      for (int i = 0; i < 200; i++) {
        Duration wait = RetrySchedule.after(attempt, random).orElseThrow();
        assertTrue(wait.compareTo(nominal.multipliedBy(4).dividedBy(5)) >= 0 && wait.compareTo(nominal.multipliedBy(6).dividedBy(5)) <= 0,
            attempt + ": " + wait);
      }
      total = total.plus(nominal);
      longest = longest.plus(nominal.multipliedBy(6).dividedBy(5));
    }
    assertEquals(Optional.empty(), RetrySchedule.after(8, random));
    assertEquals(Optional.empty(), RetrySchedule.after(0, random));
    assertTrue(total.compareTo(Duration.ofHours(17)) > 0 && longest.compareTo(Duration.ofHours(24)) < 0, total + " " + longest);
    assertTrue(RetrySchedule.after(1, new Random(1)).orElseThrow().compareTo(RetrySchedule.after(1, new Random(2)).orElseThrow()) != 0,
        "jittered");
  }
}
