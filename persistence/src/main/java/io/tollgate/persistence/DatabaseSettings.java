package io.tollgate.persistence;

import java.nio.file.Path;

/**
 * Where the journal lives.
 *
 * @param url a PostgreSQL JDBC URL, or null/blank for the embedded server kept under {@code dataDir}
 * @param schema the schema to use (created if absent), or null for the server's default search path
 * @param poolSize connections the journal may hold
 */
public record DatabaseSettings(String url, String user, String password, String schema, Path dataDir, int poolSize) {
  public boolean embedded() {
    return url == null || url.isBlank();
  }
}
