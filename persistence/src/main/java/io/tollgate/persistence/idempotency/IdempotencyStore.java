package io.tollgate.persistence.idempotency;

import io.tollgate.persistence.Gzip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;

/**
 * The answers kept for {@code Idempotency-Key}, in PostgreSQL so that every node sees them. The first request
 * with a key claims it; its answer, if it succeeded, is stored for the key's time to live; a repeat finds it
 * in flight, done, or claimed for another request. A claim whose node died is taken over once it is stale.
 * Statements only, on a connection given: the caller decides the transaction (a {@code GroupCommit} shares one
 * among many requests). Blocking: run it off the actor threads.
 */
public final class IdempotencyStore {
  /** What a request with a key finds. */
  public sealed interface Claim {}

  /** The key is this request's: it goes ahead, and its answer is stored or the claim released. */
  public enum Claimed implements Claim { INSTANCE }

  /** Another request with the key is in flight. */
  public enum InFlight implements Claim { INSTANCE }

  /** The key was used for a different request (another body or path). */
  public enum Mismatch implements Claim { INSTANCE }

  /**
   * The key's answer, to replay; {@code body} null when it was too large to keep.
   *
   * @param headers the gateway's own headers of the answer, {@code name: value} lines
   */
  public record Stored(String requestId, int status, String contentType, String headers, byte[] body)
      implements Claim {}

  private static final String CLAIM = """
      INSERT INTO idempotency (org_id, idem_key, request_hash, state, claimed_at, expires_at)
      VALUES (?, ?, ?, 'pending', ?, ?)
      ON CONFLICT (org_id, idem_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'pending',
        claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at, request_id = NULL, status = NULL,
        content_type = NULL, headers = NULL, body = NULL
      WHERE idempotency.expires_at <= EXCLUDED.claimed_at
        OR (idempotency.state = 'pending' AND idempotency.claimed_at < ?)
      RETURNING 1
      """;
  private static final String FIND = """
      SELECT request_hash, state, request_id, status, content_type, headers, body FROM idempotency
      WHERE org_id = ? AND idem_key = ?
      """;

  /**
   * Claims {@code key} for a request whose path and body hash to {@code requestHash}, until {@code ttlMillis}
   * from now; a claim older than {@code staleMillis} (its node died) is taken over.
   */
  public Claim claim(Connection c, String orgId, String key, byte[] requestHash, long nowMillis, long ttlMillis,
      long staleMillis) throws SQLException {
    try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
      claim.setString(1, orgId);
      claim.setString(2, key);
      claim.setBytes(3, requestHash);
      claim.setTimestamp(4, new Timestamp(nowMillis));
      claim.setTimestamp(5, new Timestamp(nowMillis + ttlMillis));
      claim.setTimestamp(6, new Timestamp(nowMillis - staleMillis));
      try (ResultSet rs = claim.executeQuery()) {
        if (rs.next()) {
          return Claimed.INSTANCE;
        }
      }
    }
    try (PreparedStatement find = c.prepareStatement(FIND)) {
      find.setString(1, orgId);
      find.setString(2, key);
      try (ResultSet rs = find.executeQuery()) {
        if (!rs.next()) {
          return InFlight.INSTANCE; // released between the two statements: the caller looks again
        }
        if (!Arrays.equals(rs.getBytes(1), requestHash)) {
          return Mismatch.INSTANCE;
        }
        if (rs.getString(2).equals("pending")) {
          return InFlight.INSTANCE;
        }
        byte[] body = rs.getBytes(7);
        return new Stored(rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
            body == null ? null : Gzip.decompress(body));
      }
    }
  }

  /** The claimed key's answer, kept until the key expires; {@code body} null when it is too large to keep. */
  public void store(Connection c, String orgId, String key, Stored answer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE idempotency SET state = 'done', request_id = ?, status = ?,"
            + " content_type = ?, headers = ?, body = ? WHERE org_id = ? AND idem_key = ? AND state = 'pending'")) {
      s.setString(1, answer.requestId());
      s.setInt(2, answer.status());
      s.setString(3, answer.contentType());
      s.setString(4, answer.headers());
      s.setBytes(5, answer.body() == null ? null : Gzip.compress(answer.body()));
      s.setString(6, orgId);
      s.setString(7, key);
      s.executeUpdate();
    }
  }

  /** The claim given up (the request failed or was refused): the next request with the key goes ahead. */
  public void release(Connection c, String orgId, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
            "DELETE FROM idempotency WHERE org_id = ? AND idem_key = ? AND state = 'pending'")) {
      s.setString(1, orgId);
      s.setString(2, key);
      s.executeUpdate();
    }
  }

  /** Deletes the keys expired before {@code nowMillis}; how many. */
  public int sweep(Connection c, long nowMillis) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotency WHERE expires_at < ?")) {
      s.setTimestamp(1, new Timestamp(nowMillis));
      return s.executeUpdate();
    }
  }
}
