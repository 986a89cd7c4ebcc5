package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.AnomalyAction;
import io.tollgate.protocol.org.AnomalyGrade;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Spend anomalies against a learned baseline, on simulated traffic written as the journal writes it: a steady
 * week with a day-and-night cycle and noise raises nothing; a spike is graded and acted on in its interval.
 */
class AnomalyWatchTest {
  private static final long START = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();
  private static final long INTERVAL = 300_000;
  private static final long CENT = 10_000_000L;
  private static final int WRITES_PER_INTERVAL = 5;

  private final Random random = new Random(42);
  private OrgBook book = OrgBook.EMPTY
      .apply(new OrgEvent.OrgCreated(new OrgProfile("acme", "Acme", START), Limits.UNLIMITED));
  private long seq;

  /** One interval of traffic, {@code factor} times the usual, in several writes; the anomalies it raised. */
  private List<Anomaly> interval(long start, double factor) {
    List<Anomaly> found = new ArrayList<>();
    double day = Math.sin(2 * Math.PI * (start - START) / 86_400_000.0);
    double rate = 20 * (1 + 0.5 * day) * factor / WRITES_PER_INTERVAL; // requests per write, around 4
    for (int w = 0; w < WRITES_PER_INTERVAL; w++) {
      long at = start + w * (INTERVAL / WRITES_PER_INTERVAL) + 1_000;
      List<UsageRecord> records = new ArrayList<>();
      long n = poisson(rate);
      for (int i = 0; i < n; i++) {
        records.add(record(at, 5 * CENT + random.nextInt((int) (10 * CENT))));
      }
      OrgBook before = book;
      book = book.apply(new OrgEvent.UsageRecorded(records, at));
      List<Anomaly> now = AnomalyWatch.detect(before, book, at);
      if (!now.isEmpty()) {
        book = book.apply(new OrgEvent.AnomaliesDetected(now, at));
        found.addAll(now);
      }
    }
    return found;
  }

  private UsageRecord record(long at, long cost) {
    seq++;
    return new UsageRecord("r" + seq, new ReservationId(1, seq), "k1", at, at, "openai", "gpt-4o", 200,
        Outcome.COMPLETED, TokenUsage.of(100, 50), cost, "v1", false, false,
        new Attribution("support-bot", null, null, null, null, null), "chat", null);
  }

  private long poisson(double mean) {
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    long k = 0;
    while (p > limit) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }

  /** What alerts or blocks under the default policy: medium and above (low is only recorded). */
  private static List<Anomaly> raised(List<Anomaly> found) {
    return found.stream().filter(a -> AlertPolicy.DEFAULT.action(a.grade()) != AnomalyAction.RECORD).toList();
  }

  @Test
  void aSteadyWeekRaisesNothing() {
    List<Anomaly> found = new ArrayList<>();
    for (long t = START; t < START + 7 * 86_400_000L; t += INTERVAL) {
      found.addAll(interval(t, 1));
    }
    assertEquals(List.of(), raised(found), "a week of usual traffic, night and day, raises nothing");
    assertTrue(found.size() < 20, "and records few lows (a quiet night interval that doubled): " + found.size());
    assertTrue(book.alerts().baselines().get("agent:support-bot").intervals() > 2000, "the baseline learned the week");
  }

  @Test
  void aSpikeIsGradedAndActedOnWithinItsInterval() {
    long t = START;
    for (; t < START + 86_400_000L; t += INTERVAL) {
      assertEquals(List.of(), raised(interval(t, 1)));
    }
    long spike = t;
    List<Anomaly> found = interval(spike, 12);
    Anomaly agent = found.stream().filter(a -> a.subject().equals("agent:support-bot") && a.measure().equals("spend"))
        .reduce((first, last) -> last).orElseThrow();
    assertEquals(AnomalyGrade.CRITICAL, agent.grade(), "twelve times the usual spend: " + found);
    assertEquals(spike, agent.intervalStartMillis(), "seen in the interval of the spike");
    assertEquals(AnomalyAction.BLOCK, agent.action(), "critical blocks by default");
    assertEquals("agent:support-bot", agent.blocked());
    long blockedAt = agent.blockedUntilMillis() - AlertPolicy.DEFAULT.blockMinutes() * 60_000;
    assertTrue(blockedAt >= spike && blockedAt < spike + INTERVAL, "blocked within the interval");
    assertNotNull(book.alerts().blockOf("agent:support-bot", blockedAt + 1), "the block is in the book");
    assertNull(book.alerts().blockOf("agent:support-bot", agent.blockedUntilMillis()), "and ends on time");

    Anomaly org = found.stream().filter(a -> a.subject().equals("org:acme") && a.measure().equals("spend"))
        .reduce((first, last) -> last).orElseThrow();
    assertEquals(AnomalyGrade.CRITICAL, org.grade());
    assertNull(org.blocked(), "the org's own anomaly alerts; its budgets are what stop it");
    assertEquals(Set.of("agent:support-bot"), book.alerts().blocks().keySet(),
        "the key that spiked with its agent only alerts: its other agents go on");
    assertTrue(found.stream().anyMatch(a -> a.measure().equals("requests")
        && a.grade().compareTo(AnomalyGrade.HIGH) >= 0), "twelve times the request rate is at least high");
    assertEquals(found.size(), found.stream().map(a -> a.subject() + a.measure() + a.grade()).distinct().count(),
        "each grade once an interval");
    assertEquals(List.of(), raised(interval(spike + INTERVAL, 1)), "the next usual interval is quiet");
  }

  @Test
  void theOrgChoosesWhatEachGradeDoes() {
    AlertPolicy alertOnly = new AlertPolicy(null, 300, CENT, Map.of(AnomalyGrade.CRITICAL, AnomalyAction.ALERT,
        AnomalyGrade.HIGH, AnomalyAction.ALERT), 30);
    book = book.apply(new OrgEvent.AlertsConfigured(alertOnly, START));
    long t = START;
    for (; t < START + 6 * 3_600_000L; t += INTERVAL) {
      interval(t, 1);
    }
    List<Anomaly> found = interval(t, 12);
    assertTrue(found.stream().anyMatch(a -> a.grade() == AnomalyGrade.CRITICAL), found.toString());
    assertTrue(found.stream().allMatch(a -> a.blocked() == null), "no block when critical only alerts");
    assertTrue(book.alerts().blocks().isEmpty());
  }
}
