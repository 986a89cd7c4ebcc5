package io.tollgate.persistence.query;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** An org's audit trail, newest first, a page at a time. Blocking. */
public final class AuditQuery {
  /** One admin change; {@code before} and {@code after} as JSON text, or null. */
  public record Change(long atMillis, long seq, String tokenId, String tokenName, String role, String action,
      int status, String before, String after) {}

  /** A page and where the next starts (null: none). */
  public record Page(List<Change> changes, String next) {}

  private static final String LIST = """
      SELECT at, seq, token_id, token_name, role, action, status, before::text, after::text FROM audit_log
      WHERE org_id = ? AND (at, seq) < (?, ?) ORDER BY at DESC, seq DESC LIMIT ?
      """;

  private final DataSource pool;

  public AuditQuery(DataSource pool) {
    this.pool = pool;
  }

  /** @param cursor where a previous page ended ({@link Page#next}), or null for the newest */
  public Page list(String orgId, int limit, String cursor) throws SQLException {
    long beforeMillis = 253402300799000L; // 9999-12-31, past every row
    long beforeSeq = Long.MAX_VALUE;
    if (cursor != null) {
      String[] parts = cursor.split("\\.", 2);
      try {
        beforeMillis = Long.parseLong(parts[0]);
        beforeSeq = Long.parseLong(parts[1]);
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new IllegalArgumentException("not a cursor of this list: " + cursor);
      }
    }
    List<Change> rows = new ArrayList<>(Rows.read(pool, LIST, List.of(orgId, new Timestamp(beforeMillis), beforeSeq,
        limit + 1), rs -> new Change(rs.getTimestamp(1).getTime(), rs.getLong(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9))));
    String next = null;
    if (rows.size() > limit) {
      rows.remove(limit);
      Change last = rows.get(limit - 1);
      next = last.atMillis() + "." + last.seq();
    }
    return new Page(rows, next);
  }
}
