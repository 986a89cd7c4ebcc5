package io.tollgate.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.TestDatabases;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

class JournalSourceTest {
  /** The source names the usage event's serializer; the node binds it to Jackson, which this module lacks. */
  private static final Config SERIALIZATION = ConfigFactory.parseString("""
      pekko.actor.allow-java-serialization = on
      pekko.actor.warn-about-java-serializer-usage = off
      pekko.actor.serialization-bindings { "io.tollgate.protocol.CborSerializable" = java }
      """).withFallback(ConfigFactory.load());

  /**
   * Under load the read model's pool once had no connection to give within its timeout; the source failed,
   * and the projection restarted while its handler still held a transaction, so the new run waited on it.
   */
  @Test
  void aReadThatCannotGetAConnectionIsRetriedInsteadOfEndingTheSource() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "journal-usage-source-test", SERIALIZATION);
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      FailingFirst pool = new FailingFirst(db.dataSource(), 2);
      CompletionStage<Done> run = JournalSource.usageAndSessions(system, pool, "test", ProjectionLag.NONE)
          .source(() -> CompletableFuture.completedFuture(Optional.empty()))
          .toCompletableFuture().get(10, TimeUnit.SECONDS)
          .runWith(Sink.ignore(), system);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (pool.served.get() < 2 && !run.toCompletableFuture().isDone() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertFalse(run.toCompletableFuture().isDone(), "the source ended after a failed read");
      assertTrue(pool.served.get() >= 2, "the source stopped reading after its failed reads");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A pool that, like an exhausted one, times out the first few requests for a connection. */
  private static final class FailingFirst implements DataSource {
    private final DataSource pool;
    private final AtomicInteger failuresLeft;
    final AtomicInteger served = new AtomicInteger();

    FailingFirst(DataSource pool, int failures) {
      this.pool = pool;
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms");
      }
      Connection connection = pool.getConnection();
      served.incrementAndGet();
      return connection;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
