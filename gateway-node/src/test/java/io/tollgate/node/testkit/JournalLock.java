package io.tollgate.node.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Holds an exclusive lock on the journal table (reads go on, inserts wait) until released or closed. */
public final class JournalLock implements AutoCloseable {
  private final Connection connection;
  private boolean held = true;

  private JournalLock(Connection connection) {
    this.connection = connection;
  }

  public static JournalLock take(TestNode node) throws SQLException {
    Connection connection = node.dataSource().getConnection();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE event_journal IN EXCLUSIVE MODE");
    }
    return new JournalLock(connection);
  }

  /** Journal writes now waiting for this lock (the node's inserts, in this test's schema). */
  public int writersWaiting() {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT count(*) FROM pg_locks WHERE relation = 'event_journal'::regclass AND NOT granted")) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void release() throws SQLException {
    if (held) {
      held = false;
      connection.rollback();
      connection.close();
    }
  }

  @Override
  public void close() throws SQLException {
    release();
  }
}
