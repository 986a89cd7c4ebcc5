package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.persistence.query.LogFilter;
import io.tollgate.persistence.query.SessionQuery;
import io.tollgate.persistence.query.SessionQuery.SessionSummary;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions against PostgreSQL: groups add up exactly, a close holds until the next request, retention forgets. */
class SessionRollupTest {
  private static final long T0 = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();

  private static UsageRecord record(long seq, long at, String session, String agent, Outcome outcome, long cost) {
    return new UsageRecord("req-" + seq, new ReservationId(3, seq), "k1", at, at + 100, "openai", "gpt-4o", 200,
        outcome, new TokenUsage(10, seq, 0, 0, null), cost, "v", false, false,
        new Attribution(agent, session, null, null, null, Map.of()), "chat", null, null, 100L * seq, null, null);
  }

  @Test
  void groupsAddUpAClosedSessionStaysClosedUntilItsNextRequestAndOldOnesAreForgotten() throws SQLException {
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      SessionQuery query = new SessionQuery(db.dataSource());
      Instant idleSince = Instant.ofEpochMilli(T0 - 60_000);
      try (Connection c = db.dataSource().getConnection()) {
        SessionRollup first = new SessionRollup();
        first.add("acme", record(1, T0, "s-1", null, Outcome.COMPLETED, 1_000));
        first.add("acme", record(2, T0 + 10, "s-1", "planner", Outcome.UPSTREAM_ERROR, 2_000));
        first.add("acme", record(3, T0 + 20, null, "planner", Outcome.COMPLETED, 4_000)); // no session
        assertEquals(1, first.write(c));
        SessionRollup second = new SessionRollup();
        second.add("acme", record(4, T0 - 5, "s-1", "coder", Outcome.COMPLETED, 8_000));
        second.add("other", record(5, T0, "s-1", null, Outcome.COMPLETED, 16_000));
        second.write(c);

        SessionSummary s1 = query.one("acme", "s-1", idleSince).orElseThrow();
        assertEquals(3, s1.requests());
        assertEquals(11_000, s1.costNanos());
        assertEquals(1 + 2 + 4, s1.outputTokens());
        assertEquals(1, s1.errors());
        assertEquals("planner", s1.agent(), "the first agent named, kept");
        assertEquals(T0 - 5, s1.firstAtMillis());
        assertEquals(T0 + 10, s1.lastAtMillis());
        assertEquals(700 / 3, s1.meanLatencyMillis());
        assertTrue(s1.active());

        SessionRollup.close(c, "acme", "s-1", T0 + 5); // before its last request: not closed
        assertNull(query.one("acme", "s-1", idleSince).orElseThrow().closedAtMillis());
        SessionRollup.close(c, "acme", "s-1", T0 + 30);
        assertFalse(query.one("acme", "s-1", idleSince).orElseThrow().active());
        assertEquals(List.of(), query.list("acme", new SessionQuery.Filter(null, null, null, null, null, true),
            SessionQuery.Sort.TIME, 10, null, idleSince).sessions());
        SessionRollup next = new SessionRollup();
        next.add("acme", record(6, T0 + 40, "s-1", null, Outcome.COMPLETED, 1));
        next.write(c);
        assertTrue(query.one("acme", "s-1", idleSince).orElseThrow().active(), "open again");
        assertFalse(query.one("acme", "s-1", Instant.ofEpochMilli(T0 + 41)).orElseThrow().active(), "idle since");

        assertEquals(List.of("1 sessions"), Retention.apply(c, Instant.ofEpochMilli(T0 + 1)).stream()
            .filter(d -> d.endsWith("sessions")).toList(), "the other org's, last seen before the cutoff");
        assertTrue(query.one("acme", "s-1", idleSince).isPresent());
        assertEquals(1, query.list("acme", SessionQuery.Filter.ALL, SessionQuery.Sort.COST, 10, (LogFilter.Cursor) null,
            idleSince).sessions().size());
      }
    }
  }
}
