package io.tollgate.persistence.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The admin API's tokens, in PostgreSQL so that every node knows them: their role, their org, and the HMAC of
 * their secret (never the secret). Blocking: run it off the actor threads.
 */
public final class AdminTokens {
  /**
   * A token as kept.
   *
   * @param orgId the one org it may use, or null for every org (an operator, or finance of all)
   * @param createdBy the id of the token that issued it, or {@code bootstrap}
   * @param expiresAtMillis null: it does not expire
   * @param revokedAtMillis null: not revoked
   */
  public record Row(String id, String secretHash, String role, String orgId, String name, String createdBy,
      long createdAtMillis, Long expiresAtMillis, Long revokedAtMillis) {}

  private static final String COLUMNS =
      "id, secret_hash, role, org_id, name, created_by, created_at, expires_at, revoked_at";

  private final DataSource pool;

  public AdminTokens(DataSource pool) {
    this.pool = pool;
  }

  public void insert(Row row) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO admin_tokens (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
      s.setString(1, row.id());
      s.setString(2, row.secretHash());
      s.setString(3, row.role());
      s.setString(4, row.orgId());
      s.setString(5, row.name());
      s.setString(6, row.createdBy());
      s.setTimestamp(7, new Timestamp(row.createdAtMillis()));
      s.setTimestamp(8, row.expiresAtMillis() == null ? null : new Timestamp(row.expiresAtMillis()));
      s.executeUpdate();
    }
  }

  public Optional<Row> find(String id) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_tokens WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** The tokens not revoked, of one org or (null) of all, newest first. */
  public List<Row> list(String orgId) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM admin_tokens WHERE revoked_at IS NULL"
            + (orgId == null ? "" : " AND org_id = ?") + " ORDER BY created_at DESC, id")) {
      if (orgId != null) {
        s.setString(1, orgId);
      }
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
      return rows;
    }
  }

  /** Revokes a token; false if there is none by that id or it was revoked already. */
  public boolean revoke(String id, long atMillis) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(
            "UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      s.setTimestamp(1, new Timestamp(atMillis));
      s.setString(2, id);
      return s.executeUpdate() == 1;
    }
  }

  private static Row row(ResultSet rs) throws SQLException {
    Timestamp expires = rs.getTimestamp(8);
    Timestamp revoked = rs.getTimestamp(9);
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getTimestamp(7).getTime(), expires == null ? null : expires.getTime(),
        revoked == null ? null : revoked.getTime());
  }
}
