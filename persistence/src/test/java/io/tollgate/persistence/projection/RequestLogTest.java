package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.projection.RequestLogProjection.Row;
import io.tollgate.persistence.query.RequestLogQuery;
import io.tollgate.persistence.query.LogFilter;
import io.tollgate.persistence.query.LogFilter.Cursor;
import io.tollgate.persistence.query.RequestLogQuery.LoggedRequest;
import io.tollgate.persistence.query.RequestLogQuery.Page;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request log against PostgreSQL: rows as written, filters, pages that neither skip nor repeat, months dropped whole. */
class RequestLogTest {
  private static final long NOV_30 = Instant.parse("2026-11-30T23:59:59.999Z").toEpochMilli();
  private static final long DEC_1 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  private static UsageRecord record(long seq, long at, String model, Outcome outcome, int status, Attribution who,
      List<String> overLimits) {
    return new UsageRecord("req-" + seq, new ReservationId(-7, seq), "k1", at, at + 250, "openai", model, status,
        outcome, new TokenUsage(100 + seq, 20, 60, 0, 5L), 1_234_567L + seq, "catalog:2026-12-01", false, seq % 2 == 0,
        who, "chat", seq == 1 ? 999L : null, overLimits, 250L, seq == 1 ? null : 200L, null);
  }

  @Test
  void aRowKeepsEveryFieldOfItsRecordAndOddTextAsWritten() throws SQLException {
    String odd = "coder, \"v2\" {beta} \\ NULL \\N \u0000";
    Attribution who = new Attribution(odd, "s-42", "cust-1", "research", "u-7", Map.of("env", "prod", "odd", odd));
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, 11));
        assertEquals(1, RequestLogProjection.insert(c, List.of(new Row("acme",
            record(1, NOV_30, "gpt-4o", Outcome.STOPPED_AT_BUDGET, 200, who,
                List.of("soft team:research daily_budget_usd", "shadow team:" + odd + " requests_per_minute"))))));
      }
      LoggedRequest r = new RequestLogQuery(db.dataSource()).byRequestId("acme", "req-1").get(0);
      assertEquals(NOV_30, r.admittedAtMillis());
      assertEquals(NOV_30 + 250, r.finishedAtMillis());
      assertEquals("-7:1", r.reservation());
      assertEquals("stopped_at_budget", r.outcome());
      assertEquals(101, r.inputTokens());
      assertEquals(5, r.reasoningTokens());
      assertEquals(1_234_568L, r.costNanos());
      assertEquals(999L, r.providerCostNanos());
      assertEquals("catalog:2026-12-01", r.priceSource());
      assertEquals(250L, r.latencyMillis());
      assertNull(r.upstreamMillis(), "no upstream answer: no upstream time");
      assertEquals(List.of("soft team:research daily_budget_usd",
          "shadow team:" + odd.replace('\u0000', '\uFFFD') + " requests_per_minute"), r.overLimits(), "as written");
      assertEquals(odd.replace('\u0000', '\uFFFD'), r.agent(), "as written; NUL, which text cannot hold, replaced");
      assertEquals("u-7", r.user());
      assertEquals(Map.of("env", "prod", "odd", odd.replace('\u0000', '\uFFFD')), r.tags());
    }
  }

  @Test
  void filtersNarrowAndPagesWalkEveryRowOnceNewestFirstAcrossMonths() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      List<Row> rows = new ArrayList<>();
      for (long seq = 1; seq <= 25; seq++) {
        // Pairs of requests in the same millisecond: the page boundary must fall between them too.
        long at = (seq <= 12 ? NOV_30 - 1000 : DEC_1) + seq / 2;
        Attribution who = new Attribution(seq % 3 == 0 ? "planner" : "coder", "s-" + seq % 4, null, null, null,
            seq % 5 == 0 ? Map.of("env", "prod") : Map.of("env", "dev"));
        rows.add(new Row("acme", record(seq, at, seq % 2 == 0 ? "gpt-4o" : "gpt-4o-mini",
            seq == 7 ? Outcome.UPSTREAM_ERROR : Outcome.COMPLETED, seq == 7 ? 429 : 200, who, List.of())));
      }
      rows.add(new Row("other-org", record(99, DEC_1, "gpt-4o", Outcome.COMPLETED, 200, Attribution.NONE, List.of())));
      try (Connection c = db.dataSource().getConnection()) {
        MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, 11));
        MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, 12));
        MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, 12)); // again: no harm
        RequestLogProjection.insert(c, rows);
      }
      RequestLogQuery query = new RequestLogQuery(db.dataSource());

      List<String> walked = new ArrayList<>();
      Cursor cursor = null;
      do {
        Page page = query.list("acme", LogFilter.ALL, 4, cursor == null ? null : Cursor.decode(cursor.encode()));
        page.requests().forEach(r -> walked.add(r.requestId()));
        cursor = page.next();
      } while (cursor != null);
      List<String> expected = new ArrayList<>();
      rows.stream().filter(r -> r.orgId().equals("acme"))
          .sorted((a, b) -> a.record().admittedAtMillis() != b.record().admittedAtMillis()
              ? Long.compare(b.record().admittedAtMillis(), a.record().admittedAtMillis())
              : ("-7:" + b.record().reservation().seq()).compareTo("-7:" + a.record().reservation().seq()))
          .forEach(r -> expected.add(r.record().requestId()));
      assertEquals(expected, walked, "every request once, newest first, across the month's partitions");

      assertEquals(List.of("req-25", "req-24", "req-23"), ids(query.list("acme", LogFilter.ALL, 3, null)));
      assertEquals(8, query.list("acme", new LogFilter(null, null, null, "planner", null, null, null, null, null, null,
          null, null, null, null, null, Map.of()), 100, null).requests().size(), "agent");
      assertEquals(List.of("req-7"), ids(query.list("acme", new LogFilter(null, null, null, null, null, null, null, null,
          null, null, null, 4, null, null, null, Map.of()), 100, null)), "status class 4xx");
      assertEquals(List.of("req-7"), ids(query.list("acme", new LogFilter(null, null, null, null, null, null, null, null,
          null, null, null, null, "upstream_error", null, null, Map.of()), 100, null)), "outcome");
      assertEquals(List.of("req-25", "req-20", "req-15", "req-10", "req-5"), ids(query.list("acme", new LogFilter(null,
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, Map.of("env", "prod")), 100, null)), "tag");
      assertEquals(12, query.list("acme", new LogFilter(null, Instant.ofEpochMilli(DEC_1), null, null, null, null, null,
          null, null, null, null, null, null, null, null, Map.of()), 100, null).requests().size(), "before December");
      assertEquals(List.of("req-12", "req-8", "req-4"), ids(query.list("acme", new LogFilter(null,
          Instant.ofEpochMilli(DEC_1), null, null, "s-0", null, null, null, null, null, null, null, null, null, null, Map.of()), 100,
          null)), "session, in November");
      assertTrue(query.byRequestId("acme", "req-99").isEmpty(), "another org's request is not this org's");
      assertNull(Cursor.decode("not a cursor!"));
    }
  }

  @Test
  void retentionDropsWholeMonthsThatEndedBeforeTheCutoffAndKeepsTheRest() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        for (int m = 9; m <= 12; m++) {
          MonthlyPartitions.ensure(c, "request_log", YearMonth.of(2026, m));
        }
        RequestLogProjection.insert(c, List.of(new Row("acme", record(1, NOV_30, "gpt-4o", Outcome.COMPLETED, 200,
            Attribution.NONE, List.of()))));

        assertEquals(List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10)),
            MonthlyPartitions.dropEndedBefore(c, "request_log", Instant.parse("2026-11-30T12:00:00Z")),
            "November has not ended by the cutoff: kept");
        assertEquals(List.of(YearMonth.of(2026, 11), YearMonth.of(2026, 12)), MonthlyPartitions.months(c, "request_log"));
        assertEquals(List.of(YearMonth.of(2026, 11)), MonthlyPartitions.dropEndedBefore(c, "request_log", Instant.ofEpochMilli(DEC_1)));
        assertTrue(new RequestLogQuery(db.dataSource()).byRequestId("acme", "req-1").isEmpty());
        SQLException noMonth = assertThrows(SQLException.class, () -> RequestLogProjection.insert(c, List.of(new Row(
            "acme", record(2, NOV_30, "gpt-4o", Outcome.COMPLETED, 200, Attribution.NONE, List.of())))));
        assertTrue(noMonth.getMessage().contains("no partition"), noMonth.getMessage());
      }
    }
  }

  private static List<String> ids(Page page) {
    return page.requests().stream().map(LoggedRequest::requestId).toList();
  }
}
