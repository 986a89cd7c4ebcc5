package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.projection.DailyUsage.Row;
import io.tollgate.persistence.projection.DailyUsage.Sums;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The read model's upsert against PostgreSQL: a group's rows in one statement, added to what is there. */
class UsageUpsertTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-22");

  private static Row row(String agent, String model) {
    return new Row("acme", DAY, "k1", agent, "", "", "", "openai", model);
  }

  @Test
  void aGroupAddsToTheRowsThereAndKeepsEachDimensionAsWritten() throws SQLException {
    String odd = "coder, \"v2\" {beta} \\ NULL";
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        Map<Row, Sums> first = new LinkedHashMap<>();
        first.put(row("planner", "gpt-4o"), new Sums(2, 100, 20, 60, 10, 5, 1_234_567L, 1, 0));
        first.put(row(odd, "gpt-4o"), new Sums(1, 7, 3, 0, 0, 0, 42L, 0, 1));
        assertEquals(2, UsageDailyUpsert.upsert(c, first));
        assertEquals(0, UsageDailyUpsert.upsert(c, Map.of()));
        UsageDailyUpsert.upsert(c, Map.of(row("planner", "gpt-4o"), new Sums(1, 1, 1, 0, 0, 0, 3L, 0, 0)));

        assertEquals(Map.of("planner", "3 requests, 101/21 tokens, 1234570 nanos",
            odd, "1 requests, 7/3 tokens, 42 nanos"), rows(c));
      }
    }
  }

  @Test
  void twoRowsTheDatabaseCannotTellApartAreSummedNotRefused() throws SQLException {
    // Unpaired surrogates differ in Java and both reach the database as '?': one statement would otherwise
    // update the same row twice, which PostgreSQL refuses, and the projection would retry that group forever.
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        Map<Row, Sums> group = new LinkedHashMap<>();
        group.put(row("a", "model-\uD800"), new Sums(1, 1, 1, 0, 0, 0, 5L, 0, 1));
        group.put(row("a", "model-\uD801"), new Sums(1, 1, 1, 0, 0, 0, 7L, 0, 1));
        UsageDailyUpsert.upsert(c, group);

        assertEquals(Map.of("a", "2 requests, 2/2 tokens, 12 nanos"), rows(c));
      }
    }
  }

  @Test
  void recordsNoRowCouldHoldAreWrittenSafelyAndSumsSaturate() throws SQLException {
    // A NUL, which PostgreSQL's text refuses, once stopped the projection for every org, for good.
    long at = java.time.Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    io.tollgate.protocol.usage.TokenUsage absurd = io.tollgate.protocol.usage.TokenUsage.of(Long.MAX_VALUE, Long.MAX_VALUE);
    DailyUsage daily = new DailyUsage();
    for (int i = 0; i < 3; i++) {
      daily.add("acme", new io.tollgate.protocol.org.UsageRecord("req-" + i, new io.tollgate.protocol.org.ReservationId(1, i),
          "k1", at, at, "openai", "gpt-4o-mini\u0000", 200, io.tollgate.protocol.org.Outcome.COMPLETED, absurd,
          Long.MAX_VALUE, "v1", false, false, new io.tollgate.protocol.org.Attribution("agent\ud800", null, null, null,
          null, Map.of()), "chat", null));
    }
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection()) {
        UsageDailyUpsert.upsert(c, daily.rows());
        UsageDailyUpsert.upsert(c, daily.rows()); // and added to the saturated row again

        assertEquals(Map.of("agent\uFFFD", "6 requests, " + Long.MAX_VALUE + "/" + Long.MAX_VALUE + " tokens, "
            + Long.MAX_VALUE + " nanos"), rows(c));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT model FROM usage_daily")) {
          rs.next();
          assertEquals("gpt-4o-mini\uFFFD", rs.getString(1));
        }
      }
    }
  }

  private static Map<String, String> rows(Connection c) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT agent, requests, input_tokens, output_tokens, cost_nanos FROM usage_daily")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2) + " requests, " + rs.getLong(3) + "/" + rs.getLong(4) + " tokens, "
            + rs.getLong(5) + " nanos");
      }
    }
    return out;
  }
}
