package io.tollgate.persistence;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the journal lives.
 *
 * @param url a PostgreSQL JDBC URL, or null/blank for the embedded server kept under {@code dataDir}
 * @param schema the schema to use (created if absent), or null for the server's default search path
 * @param poolSize connections the journal may hold
 * @param socketTimeout how long a connection may wait for the server to answer before it is given up as dead:
 *     without it, a connection to a database host that died silently waits for the kernel (~15 minutes)
 */
public record DatabaseSettings(String url, String user, String password, String schema, Path dataDir, int poolSize,
    Duration socketTimeout) {
  /** From {@code tollgate.db}; blank url, user and schema mean none. */
  public static DatabaseSettings from(Config db, Path dataDir) {
    return new DatabaseSettings(blankToNull(db.getString("url")), blankToNull(db.getString("user")), db.getString("password"),
        blankToNull(db.getString("schema")), dataDir, db.getInt("pool-size"), db.getDuration("socket-timeout"));
  }

  public boolean embedded() {
    return url == null || url.isBlank();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + (embedded() ? "embedded in " + dataDir : url.replaceFirst("\\?.*", "")) + ", schema=" + schema + "]";
  }
}
