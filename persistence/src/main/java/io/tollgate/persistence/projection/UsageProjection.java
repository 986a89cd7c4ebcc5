package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.JournalUsageSource.UsageBatch;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects the journal's usage batches into {@code usage_daily}, exactly once: the rows a group of batches adds
 * and the offset past them commit in one transaction.
 */
public final class UsageProjection {
  public static final ProjectionId ID = ProjectionId.of("usage-daily", "journal");
  private static final int GROUP_EVENTS = 200;
  private static final Duration GROUP_WAIT = Duration.ofMillis(500);

  private static final String UPSERT = """
      INSERT INTO usage_daily (org_id, day, key_id, agent, team, customer, provider, model, requests, input_tokens,
        output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, estimated_requests,
        unpriced_requests)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (org_id, day, key_id, agent, team, customer, provider, model) DO UPDATE SET
        requests = usage_daily.requests + EXCLUDED.requests,
        input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,
        output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens,
        cache_read_tokens = usage_daily.cache_read_tokens + EXCLUDED.cache_read_tokens,
        cache_write_tokens = usage_daily.cache_write_tokens + EXCLUDED.cache_write_tokens,
        reasoning_tokens = usage_daily.reasoning_tokens + EXCLUDED.reasoning_tokens,
        cost_nanos = usage_daily.cost_nanos + EXCLUDED.cost_nanos,
        estimated_requests = usage_daily.estimated_requests + EXCLUDED.estimated_requests,
        unpriced_requests = usage_daily.unpriced_requests + EXCLUDED.unpriced_requests
      """;

  private UsageProjection() {}

  /** The projection, to be run by one node at a time (a sharded daemon process of one). */
  public static Projection<UsageBatch> create(ActorSystem<?> system, DataSource pool) {
    return JdbcProjection.groupedWithin(ID, new JournalUsageSource(system, pool), () -> new PooledJdbcSession(pool),
            DailyUsageWriter::new, system)
        .withGroup(GROUP_EVENTS, GROUP_WAIT);
  }

  /** Adds a group of usage batches to the daily rows, in the transaction that also moves the offset. */
  private static final class DailyUsageWriter extends JdbcHandler<List<UsageBatch>, PooledJdbcSession> {
    @Override
    public void process(PooledJdbcSession session, List<UsageBatch> batches) throws Exception {
      DailyUsage daily = new DailyUsage();
      for (UsageBatch batch : batches) {
        batch.event().records().forEach(r -> daily.add(batch.orgId(), r));
      }
      session.withConnection(connection -> upsert(connection, daily.rows()));
    }
  }

  private static int upsert(Connection connection, Map<DailyUsage.Row, DailyUsage.Sums> rows) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(UPSERT)) {
      for (var e : rows.entrySet()) {
        DailyUsage.Row row = e.getKey();
        DailyUsage.Sums sums = e.getValue();
        st.setString(1, row.orgId());
        st.setDate(2, Date.valueOf(row.day()));
        st.setString(3, row.keyId());
        st.setString(4, row.agent());
        st.setString(5, row.team());
        st.setString(6, row.customer());
        st.setString(7, row.provider());
        st.setString(8, row.model());
        st.setLong(9, sums.requests());
        st.setLong(10, sums.inputTokens());
        st.setLong(11, sums.outputTokens());
        st.setLong(12, sums.cacheReadTokens());
        st.setLong(13, sums.cacheWriteTokens());
        st.setLong(14, sums.reasoningTokens());
        st.setLong(15, sums.costNanos());
        st.setLong(16, sums.estimatedRequests());
        st.setLong(17, sums.unpricedRequests());
        st.addBatch();
      }
      return st.executeBatch().length;
    }
  }

  /** The ledger's persistence id is {@code org|<orgId>}. */
  static String orgIdOf(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(bar + 1);
  }
}
