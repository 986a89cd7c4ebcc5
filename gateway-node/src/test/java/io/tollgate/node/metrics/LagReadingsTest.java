package io.tollgate.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class LagReadingsTest {
  @Test
  void aSourceWithNothingNewIsCaughtUpOnlyOnceWhatItReadIsWritten() {
    LagReadings readings = new LagReadings();

    assertEquals(OptionalDouble.of(0), readings.caughtUp("request-log", 0), "nothing read, nothing to write");
    assertEquals(OptionalDouble.empty(), readings.caughtUp("request-log", 5_000),
        "a group read and still being gathered is work left, not zero lag");
    assertEquals(2.5, readings.written("request-log", 4_000, 6_500), "the age of the newest event written");
    assertEquals(OptionalDouble.empty(), readings.caughtUp("request-log", 5_000));
    readings.written("request-log", 5_000, 7_000);
    assertEquals(OptionalDouble.of(0), readings.caughtUp("request-log", 5_000));
    assertEquals(OptionalDouble.empty(), readings.caughtUp("denial-log", 1_000), "each projection on its own");
  }

  @Test
  void aGroupWrittenOutOfTimeOrderNeverMovesTheNewestWrittenBack() {
    LagReadings readings = new LagReadings();
    readings.written("webhooks", 9_000, 9_000);
    readings.written("webhooks", 3_000, 9_000);

    assertEquals(OptionalDouble.of(0), readings.caughtUp("webhooks", 9_000));
  }
}
