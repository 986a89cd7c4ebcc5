package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.LimitCrossing;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Limits crossed: budget and quota thresholds once a period, by the write that crossed them, for every scope and
 * model pattern; soft limits once a period.
 */
class LimitWatchTest {
  private static final long DAY_1 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
  private static final long DAY_2 = Instant.parse("2026-12-08T10:00:00Z").toEpochMilli();
  private static final long USD = 1_000_000_000L;
  private long seq;

  private UsageRecord spend(long at, String team, long cost) {
    seq++;
    return new UsageRecord("req-" + seq, new ReservationId(1, seq), "k1", at, at + 100, "openai", "gpt-4o", 200,
        Outcome.COMPLETED, TokenUsage.of(10, 5), cost, "v1", false, false,
        new Attribution(null, null, null, team, null, null), "chat", null);
  }

  private static OrgBook book() {
    Limits daily = new Limits(null, null, null, null, null, null, null, null, 10 * USD, null, null);
    return OrgBook.EMPTY
        .apply(new OrgEvent.OrgCreated(new OrgProfile("acme", "Acme", 1L), new Limits(null, null, null, 100 * USD)))
        .apply(new OrgEvent.ScopeLimitsSet("team:*", daily, 1L));
  }

  private List<BudgetCrossing> write(OrgBook[] book, long at, UsageRecord... records) {
    return crossed(book, at, records).budgets();
  }

  private LimitWatch.Crossed crossed(OrgBook[] book, long at, UsageRecord... records) {
    OrgBook before = book[0];
    book[0] = before.apply(new OrgEvent.UsageRecorded(List.of(records), at));
    return LimitWatch.crossings(before, book[0], AlertPolicy.THRESHOLDS);
  }

  @Test
  void eachThresholdIsCrossedOnceAPeriodByTheWriteThatCrossedIt() {
    OrgBook[] book = {book()};
    assertEquals(List.of(), write(book, DAY_1, spend(DAY_1, "research", 4 * USD)), "40 % of the team's day");
    List<BudgetCrossing> crossed = write(book, DAY_1 + 1, spend(DAY_1 + 1, "research", USD),
        spend(DAY_1 + 1, "ops", 3 * USD));
    assertEquals(1, crossed.size(), "exactly 50 % counts as reached");
    BudgetCrossing half = crossed.get(0);
    assertEquals("team:research", half.scope());
    assertEquals("daily_budget_usd", half.budget());
    assertEquals(50, half.percent());
    assertEquals(5 * USD, half.spentNanos());
    assertEquals(10 * USD, half.budgetNanos());
    assertEquals(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli(), half.periodStartMillis());
    assertEquals(Instant.parse("2026-12-08T00:00:00Z").toEpochMilli(), half.periodEndMillis());

    assertEquals(List.of(), write(book, DAY_1 + 2, spend(DAY_1 + 2, "research", USD)), "60 %: nothing new");
    assertEquals(List.of(80, 100), write(book, DAY_1 + 3, spend(DAY_1 + 3, "research", 5 * USD)).stream()
        .map(BudgetCrossing::percent).toList(), "one write past two thresholds: both");
    assertEquals(List.of(), write(book, DAY_1 + 4, spend(DAY_1 + 4, "research", USD)), "past 100 %: said already");

    List<BudgetCrossing> nextDay = write(book, DAY_2, spend(DAY_2, "research", 6 * USD));
    assertEquals(List.of("team:research daily_budget_usd 50"), nextDay.stream()
        .map(c -> c.scope() + " " + c.budget() + " " + c.percent()).toList(), "a new day starts again from zero");

    List<BudgetCrossing> org = write(book, DAY_2 + 1, spend(DAY_2 + 1, "ops", 35 * USD));
    assertEquals(List.of("org:acme monthly_budget_usd 50", "team:ops daily_budget_usd 50", "team:ops daily_budget_usd 80",
            "team:ops daily_budget_usd 100"),
        org.stream().sorted(java.util.Comparator.comparing(BudgetCrossing::scope).thenComparing(BudgetCrossing::percent))
            .map(c -> c.scope() + " " + c.budget() + " " + c.percent()).toList(),
        "the org's month (16 + 35 of 100) and the team's day, in one write");
  }

  @Test
  void requestQuotasModelBudgetsAndSoftLimitsAreToldOnceAPeriod() {
    Limits opus = new Limits(null, null, null, 4 * USD);
    Limits team = new Limits(null, null, 4L, null, null, null, null, null, null,
        Map.of("gpt-4o*", opus), Enforcement.SOFT);
    Limits soft = new Limits(null, null, null, null, null, 3L, null, null, null, null, Enforcement.SOFT);
    OrgBook[] book = {book().apply(new OrgEvent.ScopeLimitsSet("team:research", team, 1L))
        .apply(new OrgEvent.ScopeLimitsSet("customer:*", soft, 1L))};

    LimitWatch.Crossed first = crossed(book, DAY_1, spend(DAY_1, "research", USD), spend(DAY_1, "research", USD));
    assertEquals(List.of("team:research monthly_requests 50 2/4"), limits(first.limits()),
        "2 of 4 monthly requests: half the quota");
    assertEquals(List.of("team:research models:gpt-4o* monthly_budget_usd 50"), first.budgets().stream()
        .map(c -> c.scope() + " " + c.budget() + " " + c.percent()).toList(), "a model pattern's own budget");

    LimitWatch.Crossed second = crossed(book, DAY_1 + 1, spend(DAY_1 + 1, "research", USD),
        spend(DAY_1 + 1, "research", USD), spend(DAY_1 + 1, "research", USD));
    assertEquals(List.of("team:research monthly_requests 80 5/4", "team:research monthly_requests 100 5/4",
            "soft team:research monthly_requests 5/4",
            "soft team:research models:gpt-4o* monthly_budget_usd 5000000000/4000000000"),
        limits(second.limits()), "80 and 100 % of the quota; the soft quota and the pattern's soft budget passed");
    assertEquals(List.of(), limits(crossed(book, DAY_1 + 2, spend(DAY_1 + 2, "research", USD)).limits()),
        "past the soft limit already: told once");

    UsageRecord[] forCustomer = new UsageRecord[4];
    for (int i = 0; i < 4; i++) {
      UsageRecord r = spend(DAY_1 + 3, null, 1);
      forCustomer[i] = new UsageRecord(r.requestId(), r.reservation(), "k1", DAY_1 + 3, DAY_1 + 3, "openai", "o1", 200,
          Outcome.COMPLETED, TokenUsage.of(1, 1), 1, "v1", false, false, new Attribution(null, null, "c1", null, null,
          null), "chat", null);
    }
    assertEquals(List.of("soft customer:c1 requests_per_day 4/3"), limits(crossed(book, DAY_1 + 3, forCustomer).limits()),
        "a scope's default soft limit, for the value it applies to");
    assertEquals(List.of(), limits(crossed(book, DAY_1 + 4).limits()), "nothing written, nothing crossed");
  }

  private static List<String> limits(List<LimitCrossing> crossings) {
    return crossings.stream().map(c -> (c.soft() ? "soft " + c.scope() + " " + c.limit()
        : c.scope() + " " + c.limit() + " " + c.percent()) + " " + c.used() + "/" + c.limitValue()).toList();
  }

  @Test
  void aThresholdsMarkIsItsShareOfTheBudgetRoundedUp() {
    assertEquals(5, LimitWatch.mark(10, 50));
    assertEquals(4, LimitWatch.mark(7, 50));
    assertEquals(Long.MAX_VALUE, LimitWatch.mark(Long.MAX_VALUE, 100));
  }
}
