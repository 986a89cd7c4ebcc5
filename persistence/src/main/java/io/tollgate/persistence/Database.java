package io.tollgate.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's PostgreSQL: a server named by URL or the embedded one, with the schema migrated and the
 * journal's configuration derived from it. Holds a small pool of its own for the read model and its queries,
 * and one connection for health checks, so a busy read model cannot fail them; the journal has its own pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final EmbeddedPostgres embedded;
  private final String url;
  private final String user;
  private final String password;
  private final String schema;
  private final int poolSize;
  private final Duration socketTimeout;
  private final HikariDataSource pool;
  private final HikariDataSource pingPool;

  private Database(EmbeddedPostgres embedded, String url, String user, String password, DatabaseSettings s) {
    this.embedded = embedded;
    this.url = url;
    this.user = user;
    this.password = password;
    this.schema = s.schema();
    this.poolSize = s.poolSize();
    this.socketTimeout = s.socketTimeout();
    this.pool = openPool("tollgate-admin", 4, 5_000); // the read model's projection and spend queries
    this.pingPool = openPool("tollgate-ping", 1, 2_000);
  }

  /**
   * Starts (embedded) or connects to (server) the database and checks that it answers.
   *
   * @throws DatabaseUnavailableException with a message for the operator
   */
  public static Database open(DatabaseSettings settings) {
    if (settings.embedded()) {
      EmbeddedServer.Started started = EmbeddedServer.start(settings.dataDir());
      log.atInfo().addKeyValue("dir", settings.dataDir().resolve("postgres").toAbsolutePath())
          .addKeyValue("port", started.server().getPort()).log("embedded PostgreSQL started");
      return connect(started.server(), started.url(), EmbeddedServer.USER, started.password(), settings);
    }
    return connect(null, settings.url(), settings.user(), settings.password(), settings);
  }

  private static Database connect(EmbeddedPostgres server, String url, String user, String password, DatabaseSettings s) {
    try {
      Database db = new Database(server, url, user, password, s);
      db.pool.getConnection().close();
      return db;
    } catch (RuntimeException | SQLException e) {
      closeQuietly(server);
      throw new DatabaseUnavailableException("PostgreSQL at " + redact(url) + " cannot be reached: " + e.getMessage()
          + ". Check TOLLGATE_DB_URL, TOLLGATE_DB_USER and TOLLGATE_DB_PASSWORD.", e);
    }
  }

  /**
   * Applies the schema migrations (journal tables included); safe to run from several nodes at once. On a
   * connection of its own, without the socket timeout: rebuilding a read model over a large journal may take
   * longer than any query should.
   */
  public void migrate() {
    var flyway = Flyway.configure().dataSource(withParam(url, "currentSchema", schema), user, password)
        .locations("classpath:db/migration");
    if (schema != null) {
      flyway.schemas(schema).createSchemas(true);
    }
    var loaded = flyway.load();
    var result = loaded.migrate();
    var current = loaded.info().current();
    log.atInfo().addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("version", current == null ? "none" : current.getVersion().getVersion())
        .log("database schema up to date");
  }

  /**
   * Whether the database answers a trivial query within the timeout (plus up to 2 s to connect). A network
   * timeout, not a query timeout: a query timeout asks the server to cancel, and a dead server never answers
   * that either.
   */
  public boolean ping(Duration timeout) {
    try (Connection c = pingPool.getConnection(); Statement st = c.createStatement()) {
      c.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
      return st.execute("SELECT 1");
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Pekko Persistence JDBC configuration pointing at this database. */
  public Config journalConfig() {
    Map<String, Object> connection = Map.of(
        "pekko-persistence-jdbc.shared-databases.slick.db.url", journalUrl(),
        "pekko-persistence-jdbc.shared-databases.slick.db.user", user == null ? "" : user,
        "pekko-persistence-jdbc.shared-databases.slick.db.password", password == null ? "" : password,
        "pekko-persistence-jdbc.shared-databases.slick.db.numThreads", poolSize,
        "pekko-persistence-jdbc.shared-databases.slick.db.maxConnections", poolSize);
    return ConfigFactory.parseMap(connection).withFallback(ConfigFactory.parseResources("tollgate-persistence.conf"));
  }

  public DataSource dataSource() {
    return pool;
  }

  public boolean embedded() {
    return embedded != null;
  }

  /** The URL without credentials, for logs. */
  public String description() {
    return redact(url) + (schema == null ? "" : " schema " + schema) + (embedded() ? " (embedded)" : "");
  }

  @Override
  public void close() {
    pool.close();
    pingPool.close();
    closeQuietly(embedded);
  }

  private HikariDataSource openPool(String name, int size, long connectionTimeoutMs) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(withTimeouts(withParam(url, "currentSchema", schema)));
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(connectionTimeoutMs);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  private String journalUrl() {
    return withTimeouts(withParam(withParam(url, "reWriteBatchedInserts", "true"), "currentSchema", schema));
  }

  /**
   * The client's socket timeout, and the server's bound on a transaction left idle by its client at twice that.
   * A node that gives up on a connection, or vanishes behind a partition, may leave a transaction open that the
   * server would otherwise keep, with its row locks, until TCP notices (hours): the org's next owner would wait
   * on those locks to write the same sequence numbers. No transaction of ours idles for more than moments. A
   * URL that sets {@code options} itself keeps its own.
   */
  private String withTimeouts(String jdbcUrl) {
    long seconds = Math.max(1, socketTimeout.toSeconds());
    return withParam(withParam(jdbcUrl, "socketTimeout", Long.toString(seconds)),
        "options", "-c%20idle_in_transaction_session_timeout%3D" + 2 * seconds + "s");
  }

  private static String withParam(String url, String name, String value) {
    if (value == null || url.contains(name + "=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
  }

  static String redact(String url) {
    return url == null ? "(none)" : url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    if (server != null) {
      EmbeddedServer.stop(server);
    }
  }
}
