package io.tollgate.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Runs small writes of many requests in shared transactions: what arrives while a transaction commits goes into
 * the next one, so a request waits for one commit's flush to disk shared with others instead of one of its own
 * (a commit costs milliseconds of fsync; its statements, a fraction of one). A failed transaction fails every
 * write in it. Its blocking work runs on the executor given, at most {@code writers} transactions at a time.
 */
public final class GroupCommit {
  /** One write: statements on the shared transaction's connection, and what the caller is told. */
  @FunctionalInterface
  public interface Write<R> {
    R run(Connection c) throws SQLException;
  }

  private record Pending<R>(Write<R> write, CompletableFuture<R> done) {
    @SuppressWarnings("unchecked")
    void complete(Object result) {
      done.complete((R) result);
    }
  }

  private final DataSource pool;
  private final Executor blocking;
  private final int writers;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();

  public GroupCommit(DataSource pool, Executor blocking, int writers, int maxBatch) {
    this.pool = pool;
    this.blocking = blocking;
    this.writers = writers;
    this.maxBatch = maxBatch;
  }

  /** Runs {@code write} in the next transaction; completed once it committed (or failed with it). */
  public <R> CompletableFuture<R> submit(Write<R> write) {
    Pending<R> pending = new Pending<>(write, new CompletableFuture<>());
    queue.add(pending);
    startWriter();
    return pending.done();
  }

  private void startWriter() {
    int now = running.get();
    while (now < writers && !queue.isEmpty()) {
      if (running.compareAndSet(now, now + 1)) {
        blocking.execute(this::writeAll);
        return;
      }
      now = running.get();
    }
  }

  private void writeAll() {
    try {
      for (List<Pending<?>> batch = take(); !batch.isEmpty(); batch = take()) {
        commit(batch);
      }
    } finally {
      running.decrementAndGet();
      startWriter(); // what arrived after the last take and found every writer busy
    }
  }

  private List<Pending<?>> take() {
    List<Pending<?>> batch = new ArrayList<>();
    Pending<?> next;
    while (batch.size() < maxBatch && (next = queue.poll()) != null) {
      batch.add(next);
    }
    return batch;
  }

  private void commit(List<Pending<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Pending<?> p : batch) {
          results.add(p.write().run(c));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        results = null;
      } finally {
        c.setAutoCommit(true);
      }
      if (results == null) {
        oneByOne(c, batch);
        return;
      }
    } catch (SQLException | RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results.get(i));
    }
  }

  /**
   * A batch that failed, its writes again each in a transaction of its own: one bad write, or a deadlock with
   * another node's batch writing the same rows in another order, fails no other.
   */
  private static void oneByOne(Connection c, List<Pending<?>> batch) {
    for (Pending<?> p : batch) {
      try {
        p.complete(p.write().run(c));
      } catch (SQLException | RuntimeException e) {
        p.done().completeExceptionally(e);
      }
    }
  }
}
