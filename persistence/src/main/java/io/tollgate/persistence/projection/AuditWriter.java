package io.tollgate.persistence.projection;

import io.tollgate.protocol.org.AuditEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/** The org's admin changes into {@code audit_log}, one row per change, in journal order. */
final class AuditWriter {
  private static final String INSERT = """
      INSERT INTO audit_log (org_id, at, token_id, token_name, role, action, status, before, after)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
      """;

  private AuditWriter() {}

  static void write(Connection connection, String orgId, AuditEntry e) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(INSERT)) {
      st.setString(1, orgId);
      st.setObject(2, Instant.ofEpochMilli(e.atMillis()).atOffset(ZoneOffset.UTC));
      st.setString(3, e.tokenId());
      st.setString(4, e.tokenName());
      st.setString(5, e.role());
      st.setString(6, e.action());
      st.setInt(7, e.status());
      st.setString(8, e.before());
      st.setString(9, e.after());
      st.executeUpdate();
    }
  }
}
