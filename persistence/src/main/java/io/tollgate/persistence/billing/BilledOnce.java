package io.tollgate.persistence.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The resources billed once, shared by every node: a batch's results and a background response are billed to
 * the first request that reads them finished, never again. Blocking: run it off the actor threads.
 */
public final class BilledOnce {
  private final DataSource pool;

  public BilledOnce(DataSource pool) {
    this.pool = pool;
  }

  /**
   * Claims the resource for {@code requestId}: empty when this request is the first and is to be billed, else the
   * request that was billed for it.
   */
  public Optional<String> claim(String orgId, String provider, String resourceId, String requestId, long nowMillis)
      throws SQLException {
    // A claim racing another's sees neither row (the statement's snapshot predates the other's commit): ask again.
    for (int tries = 0; tries < 3; tries++) {
      Optional<Optional<String>> answer = tryClaim(orgId, provider, resourceId, requestId, nowMillis);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    throw new SQLException("the claim of " + resourceId + " found neither its row nor another's");
  }

  private Optional<Optional<String>> tryClaim(String orgId, String provider, String resourceId, String requestId,
      long nowMillis) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("""
            WITH claimed AS (
              INSERT INTO billed_once (org_id, provider, resource_id, request_id, billed_at) VALUES (?, ?, ?, ?, ?)
              ON CONFLICT DO NOTHING RETURNING request_id)
            SELECT request_id, TRUE FROM claimed
            UNION ALL SELECT request_id, FALSE FROM billed_once WHERE org_id = ? AND provider = ? AND resource_id = ?
            """)) {
      s.setString(1, orgId);
      s.setString(2, provider);
      s.setString(3, resourceId);
      s.setString(4, requestId);
      s.setTimestamp(5, new Timestamp(nowMillis));
      s.setString(6, orgId);
      s.setString(7, provider);
      s.setString(8, resourceId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(rs.getBoolean(2) ? Optional.empty() : Optional.of(rs.getString(1)));
      }
    }
  }
}
