package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.OrgEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Outcomes into {@code outcomes}, one statement per event (they are few), in journal order: the first report
 * of an id is kept, a review sets its status. The agent and customer are the report's, else its session's.
 */
final class OutcomeWriter {
  private static final String REPORT = """
      INSERT INTO outcomes (org_id, id, session, name, value_nanos, metadata, key_id, agent, customer, reported_at,
        status)
      SELECT ?, ?, ?, ?, ?, ?::jsonb, ?, coalesce(?, s.agent), coalesce(?, s.customer), ?, 'recorded'
      FROM (SELECT 1) AS one LEFT JOIN sessions s ON s.org_id = ? AND s.session = ?
      ON CONFLICT (org_id, id) DO NOTHING
      """;
  private static final String REVIEW = """
      UPDATE outcomes SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE org_id = ? AND id = ?
      """;

  private OutcomeWriter() {}

  static void write(Connection connection, String orgId, OrgEvent event) throws SQLException {
    if (event instanceof OrgEvent.OutcomeReported reported) {
      report(connection, orgId, reported.outcome());
    } else if (event instanceof OrgEvent.OutcomeReviewed reviewed) {
      try (PreparedStatement st = connection.prepareStatement(REVIEW)) {
        st.setString(1, reviewed.confirmed() ? "confirmed" : "rejected");
        st.setString(2, text(reviewed.by()));
        st.setObject(3, Instant.ofEpochMilli(reviewed.atMillis()).atOffset(ZoneOffset.UTC));
        st.setString(4, orgId);
        st.setString(5, text(reviewed.outcomeId()));
        st.executeUpdate();
      }
    }
  }

  private static void report(Connection connection, String orgId, BusinessOutcome o) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(REPORT)) {
      int i = 1;
      st.setString(i++, orgId);
      st.setString(i++, text(o.id()));
      st.setString(i++, text(o.session()));
      st.setString(i++, text(o.name()));
      st.setLong(i++, o.valueNanos());
      st.setString(i++, o.metadataJson());
      st.setString(i++, text(o.keyId()));
      st.setString(i++, text(o.attribution().agent()));
      st.setString(i++, text(o.attribution().customer()));
      st.setObject(i++, Instant.ofEpochMilli(o.reportedAtMillis()).atOffset(ZoneOffset.UTC));
      st.setString(i++, orgId);
      st.setString(i, text(o.session()));
      st.executeUpdate();
    }
  }
}
