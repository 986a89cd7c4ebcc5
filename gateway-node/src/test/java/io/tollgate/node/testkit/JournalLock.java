package io.tollgate.node.testkit;

import java.sql.Connection;
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
