package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** What the read models forget once it is older than the retention: the logs' whole months, and old sessions. */
public final class Retention {
  private Retention() {}

  /** Forgets what ended before {@code cutoff}; returns what it did, for the log ("request_log 2025-10"). */
  public static List<String> apply(Connection connection, Instant cutoff) throws SQLException {
    List<String> done = new ArrayList<>();
    for (String table : MonthlyPartitions.TABLES) {
      for (YearMonth month : MonthlyPartitions.dropEndedBefore(connection, table, cutoff)) {
        done.add(table + " " + month);
      }
    }
    try (PreparedStatement st = connection.prepareStatement("DELETE FROM sessions WHERE last_at < ?")) {
      st.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
      int sessions = st.executeUpdate();
      if (sessions > 0) {
        done.add(sessions + " sessions");
      }
    }
    return done;
  }
}
