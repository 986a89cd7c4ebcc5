package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.persistence.projection.DailyUsage.Row;
import io.tollgate.persistence.projection.DailyUsage.Sums;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyUsageTest {
  private static UsageRecord record(String admittedAt, Attribution who, String model, TokenUsage tokens, long cost,
      boolean estimated) {
    long at = Instant.parse(admittedAt).toEpochMilli();
    return new UsageRecord("req", new ReservationId(1, 1), "k1", at, at + 40, "openai", model, 200, Outcome.COMPLETED,
        tokens, cost, "v1", false, estimated, who, "chat", null);
  }

  @Test
  void recordsOfOneDayAndAttributionAddUpExactlyAndAUtcMidnightSplitsThem() {
    Attribution planner = new Attribution("planner", "s1", "cust", "team-a", null, Map.of());
    DailyUsage daily = new DailyUsage();
    daily.add("acme", record("2026-11-22T00:00:00Z", planner, "gpt-4o", new TokenUsage(100, 20, 60, 10, 5L), 1_234_567L, false));
    daily.add("acme", record("2026-11-22T23:59:59.999Z", planner, "gpt-4o", new TokenUsage(7, 3, 0, 0, null), 1L, true));
    daily.add("acme", record("2026-11-23T00:00:00Z", planner, "gpt-4o", TokenUsage.of(1, 1), 9L, false));
    daily.add("acme", record("2026-11-22T12:00:00Z", null, "gpt-4o", TokenUsage.of(1, 1), 2L, false));

    Row nov22 = new Row("acme", LocalDate.parse("2026-11-22"), "k1", "planner", "team-a", "cust", "", "openai", "gpt-4o");
    assertEquals(new Sums(2, 107, 23, 60, 10, 5, 1_234_568L, 1, 0), daily.rows().get(nov22));
    Row nov23 = new Row("acme", LocalDate.parse("2026-11-23"), "k1", "planner", "team-a", "cust", "", "openai", "gpt-4o");
    assertEquals(1, daily.rows().get(nov23).requests());
    Row anonymous = new Row("acme", LocalDate.parse("2026-11-22"), "k1", "", "", "", "", "openai", "gpt-4o");
    assertEquals(2L, daily.rows().get(anonymous).costNanos(), "no attribution groups under ''");
    assertEquals(3, daily.rows().size());

    daily.add("acme", record("2026-11-22T13:00:00Z", new Attribution("planner", "s1", "cust", "team-a", "u-7", Map.of()),
        "gpt-4o", TokenUsage.of(1, 1), 4L, false));
    Row ofUser = new Row("acme", LocalDate.parse("2026-11-22"), "k1", "planner", "team-a", "cust", "u-7", "openai",
        "gpt-4o");
    assertEquals(4L, daily.rows().get(ofUser).costNanos(), "the end user is a dimension of its own");
    assertEquals(2, daily.rows().get(nov22).requests());
  }

  @Test
  void overlongNamesAreCutSoTheRowCanAlwaysBeWritten() {
    DailyUsage daily = new DailyUsage();
    daily.add("acme", record("2026-11-22T10:00:00Z", Attribution.NONE, "m".repeat(5_000), TokenUsage.of(1, 1), 1L, false));
    Row row = daily.rows().keySet().iterator().next();
    assertEquals(DailyUsage.MAX_DIMENSION_LENGTH, row.model().length());
  }
}
