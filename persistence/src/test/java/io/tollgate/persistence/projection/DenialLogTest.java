package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.projection.DenialLogProjection.Row;
import io.tollgate.persistence.query.DenialLogQuery;
import io.tollgate.persistence.query.DenialLogQuery.LoggedDenial;
import io.tollgate.persistence.query.LogFilter;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.DenialReason;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The denial log against PostgreSQL: each refusal with why, filtered by reason, scope and status, paged. */
class DenialLogTest {
  private static final long AT = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();

  private static LogFilter where(String reason, String scope, Integer statusClass) {
    return new LogFilter(null, null, null, null, null, null, null, null, null, null, null, statusClass, null, reason,
        scope, Map.of());
  }

  @Test
  void eachRefusalIsKeptWithWhyAndFoundByReasonScopeAndStatus() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        DenialReason reason = i < 4 ? DenialReason.MONTHLY_BUDGET : DenialReason.REVOKED_KEY;
        rows.add(new Row("acme", new Denial("req-" + i, AT + i / 2, "k1", "anthropic", "claude-opus-4", reason,
            i < 4 ? "team:research" : null, i < 4 ? "monthly_budget_usd" : null,
            new Attribution("planner", "s-1", null, "research", null, Map.of("env", "prod")))));
      }
      try (Connection c = db.dataSource().getConnection()) {
        MonthlyPartitions.ensure(c, "denial_log", YearMonth.of(2026, 12));
        assertEquals(6, DenialLogProjection.insert(c, rows));
      }
      DenialLogQuery query = new DenialLogQuery(db.dataSource());

      LoggedDenial newest = query.list("acme", LogFilter.ALL, 1, null).denials().get(0);
      assertEquals("req-5", newest.requestId());
      assertEquals("revoked_key", newest.reason());
      assertEquals(401, newest.status());
      assertEquals("anthropic", newest.provider());
      assertEquals(Map.of("env", "prod"), newest.tags());

      List<LoggedDenial> budget = query.list("acme", where("monthly_budget", "team:research", 4), 10, null).denials();
      assertEquals(List.of("req-3", "req-2", "req-1", "req-0"), budget.stream().map(LoggedDenial::requestId).toList());
      assertEquals(429, budget.get(0).status());
      assertEquals("monthly_budget_usd", budget.get(0).limit());
      assertEquals(0, query.list("acme", where(null, null, 5), 10, null).denials().size());

      List<String> walked = new ArrayList<>();
      LogFilter.Cursor cursor = null;
      do {
        DenialLogQuery.Page page = query.list("acme", LogFilter.ALL, 4, cursor);
        page.denials().forEach(d -> walked.add(d.requestId()));
        cursor = page.next();
      } while (cursor != null);
      assertEquals(List.of("req-5", "req-4", "req-3", "req-2", "req-1", "req-0"), walked);
      assertEquals(0, query.list("acme", LogFilter.ALL, 4, null).dropped());
    }
  }
}
