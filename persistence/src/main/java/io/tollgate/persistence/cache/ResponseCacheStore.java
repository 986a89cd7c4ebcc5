package io.tollgate.persistence.cache;

import io.tollgate.persistence.Gzip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The exact response cache in PostgreSQL, shared by every node: an org's answers by the hash of the request
 * they answered, each until it expires. Never across orgs. Blocking: run it off the actor threads.
 */
public final class ResponseCacheStore {
  /**
   * An answer kept.
   *
   * @param headers the gateway's own headers of the answer, {@code name: value} lines
   * @param model the model that made it
   * @param costNanos what it cost when it was made: what each answer from the cache saves
   */
  public record Entry(int status, String contentType, String headers, byte[] body, String model, long costNanos) {}

  private final DataSource pool;

  public ResponseCacheStore(DataSource pool) {
    this.pool = pool;
  }

  /** The org's answer to the request of {@code key}, if one is kept and has not expired by {@code nowMillis}. */
  public Optional<Entry> find(String orgId, byte[] key, long nowMillis) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT status, content_type, headers, body, model, cost_nanos"
            + " FROM response_cache WHERE org_id = ? AND cache_key = ? AND expires_at > ?")) {
      s.setString(1, orgId);
      s.setBytes(2, key);
      s.setTimestamp(3, new Timestamp(nowMillis));
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Entry(rs.getInt(1), rs.getString(2), rs.getString(3), Gzip.decompress(rs.getBytes(4)),
            rs.getString(5), rs.getLong(6)));
      }
    }
  }

  /**
   * Keeps the answer for {@code ttlMillis}, unless one is kept already that has not expired: the first answer
   * stays the answer until it expires, however many misses raced it.
   */
  public void put(String orgId, byte[] key, Entry entry, long nowMillis, long ttlMillis) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("""
            INSERT INTO response_cache (org_id, cache_key, status, content_type, headers, body, model, cost_nanos,
              created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (org_id, cache_key) DO UPDATE SET status = EXCLUDED.status,
              content_type = EXCLUDED.content_type, headers = EXCLUDED.headers, body = EXCLUDED.body,
              model = EXCLUDED.model, cost_nanos = EXCLUDED.cost_nanos, created_at = EXCLUDED.created_at,
              expires_at = EXCLUDED.expires_at
            WHERE response_cache.expires_at <= EXCLUDED.created_at
            """)) {
      s.setString(1, orgId);
      s.setBytes(2, key);
      s.setInt(3, entry.status());
      s.setString(4, entry.contentType());
      s.setString(5, entry.headers());
      s.setBytes(6, Gzip.compress(entry.body()));
      s.setString(7, entry.model());
      s.setLong(8, entry.costNanos());
      s.setTimestamp(9, new Timestamp(nowMillis));
      s.setTimestamp(10, new Timestamp(nowMillis + ttlMillis));
      s.executeUpdate();
    }
  }

  /** Deletes the answers expired before {@code nowMillis}; how many. */
  public int sweep(long nowMillis) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM response_cache WHERE expires_at < ?")) {
      s.setTimestamp(1, new Timestamp(nowMillis));
      return s.executeUpdate();
    }
  }
}
