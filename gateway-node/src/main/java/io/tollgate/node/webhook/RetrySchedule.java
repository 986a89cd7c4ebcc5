package io.tollgate.node.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: after 5 s, 1 min, 5 min, 30 min, 2 h, 5 h and 10 h (the eighth and
 * last attempt about 18 h after the first, 21 h at the most), each wait made up to a fifth shorter or longer
 * at random so that the retries of many deliveries do not arrive together.
 */
public final class RetrySchedule {
  static final List<Duration> WAITS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));

  private RetrySchedule() {}

  /** The wait after the given failed attempt (1 is the first), or empty when that was the last. */
  public static Optional<Duration> after(int attempt, RandomGenerator random) {
    if (attempt < 1 || attempt > WAITS.size()) {
      return Optional.empty();
    }
    long millis = WAITS.get(attempt - 1).toMillis();
    long jitter = millis / 5;
    return Optional.of(Duration.ofMillis(millis - jitter + random.nextLong(2 * jitter + 1)));
  }
}
