package io.tollgate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writes of many callers share transactions on a real PostgreSQL: those that arrive while one commits go into the
 * next together; each caller learns its own result; a failing write fails alone, the others in its batch commit.
 */
class GroupCommitTest {

  private static long count(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void writesArrivingWhileOneCommitsShareTheNextAndAFailureFailsAlone() throws Exception {
    ExecutorService blocking = Executors.newFixedThreadPool(4);
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      createTable(db);
      GroupCommit writes = new GroupCommit(db.dataSource(), blocking, 1, 100);
      CountDownLatch firstRunning = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> first = writes.submit(c -> {
        firstRunning.countDown();
        await(release); // holds the only writer while the others queue
        return insert(c, 0);
      });
      assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
      List<CompletableFuture<Object>> queued = new ArrayList<>();
      for (int n = 1; n <= 20; n++) {
        int value = n;
        queued.add(writes.submit(c -> insert(c, value)));
      }
      CompletableFuture<Object> failing = writes.submit(c -> insert(c, 5)); // 5 is taken by a write queued before
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (int n = 1; n <= 20; n++) {
        assertEquals(n, queued.get(n - 1).get(10, TimeUnit.SECONDS), "each caller gets its own result");
      }
      ExecutionException failed = assertThrows(ExecutionException.class, () -> failing.get(10, TimeUnit.SECONDS));
      assertTrue(failed.getCause() instanceof SQLException, failed.toString());
      assertEquals(21, count(db, "SELECT count(*) FROM written"), "the others in the failing write's batch committed");
    } finally {
      blocking.shutdownNow();
    }
  }

  @Test
  void queuedWritesShareOneTransaction() throws Exception {
    ExecutorService blocking = Executors.newFixedThreadPool(4);
    try (Database db = Database.open(TestDatabases.freshSchema())) {
      db.migrate();
      createTable(db);
      GroupCommit writes = new GroupCommit(db.dataSource(), blocking, 1, 100);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> first = writes.submit(c -> {
        await(release);
        return insert(c, 0);
      });
      List<CompletableFuture<Object>> queued = new ArrayList<>();
      for (int n = 1; n <= 50; n++) {
        int value = n;
        queued.add(writes.submit(c -> insert(c, value)));
      }
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Object> q : queued) {
        q.get(10, TimeUnit.SECONDS);
      }
      assertEquals(1, count(db, "SELECT count(DISTINCT tx) FROM written WHERE n > 0"), "fifty writes, one commit");
    } finally {
      blocking.shutdownNow();
    }
  }

  private static void createTable(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE written (n INT PRIMARY KEY, tx BIGINT NOT NULL)");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Object insert(Connection c, int n) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO written VALUES (" + n + ", txid_current())");
    }
    return n;
  }
}
