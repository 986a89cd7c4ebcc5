package io.tollgate.persistence.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.persistence.projection.JournalUsageSource.UsageBatch;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects the journal's usage batches into {@code request_log}, one row per request, exactly once: a group's
 * rows and the offset past them commit in one transaction. A month's partition is made before its first row.
 */
public final class RequestLogProjection {
  public static final ProjectionId ID = ProjectionId.of("request-log", "journal");
  private static final int GROUP_EVENTS = 200;
  private static final Duration GROUP_WAIT = Duration.ofMillis(500);
  /** Longer values are cut, unsafe characters replaced: no record can make a row unwritable. */
  static final int MAX_TEXT = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One column: its name, the SQL type its values are sent as (an array of them), and how it is stored. */
  private record Column(String name, String sentAs, String stored, Function<Row, Object> value) {
    Column(String name, String sentAs, Function<Row, Object> value) {
      this(name, sentAs, "u." + name, value);
    }
  }

  /** A record and the org it belongs to. */
  record Row(String orgId, UsageRecord record) {
    Attribution attribution() {
      return record.attribution() == null ? Attribution.NONE : record.attribution();
    }
  }

  private static final String AT_MILLIS = "timestamptz 'epoch' + u.%s * interval '1 millisecond'";

  private static final List<Column> COLUMNS = List.of(
      new Column("org_id", "text", r -> r.orgId()),
      new Column("admitted_at", "int8", AT_MILLIS.formatted("admitted_at"), r -> r.record().admittedAtMillis()),
      new Column("reservation", "text", r -> r.record().reservation().incarnation() + ":" + r.record().reservation().seq()),
      new Column("request_id", "text", r -> text(r.record().requestId())),
      new Column("finished_at", "int8", AT_MILLIS.formatted("finished_at"), r -> r.record().finishedAtMillis()),
      new Column("key_id", "text", r -> text(r.record().keyId())),
      new Column("provider", "text", r -> text(r.record().provider())),
      new Column("api", "text", r -> text(r.record().api())),
      new Column("model", "text", r -> text(r.record().model())),
      new Column("status", "int4", r -> r.record().status()),
      new Column("outcome", "text", r -> r.record().outcome().name().toLowerCase(Locale.ROOT)),
      new Column("input_tokens", "int8", r -> r.record().tokens().input()),
      new Column("output_tokens", "int8", r -> r.record().tokens().output()),
      new Column("cache_read_tokens", "int8", r -> r.record().tokens().cacheRead()),
      new Column("cache_write_tokens", "int8", r -> r.record().tokens().cacheWrite()),
      new Column("reasoning_tokens", "int8", r -> r.record().tokens().reasoningOrZero()),
      new Column("cost_nanos", "int8", r -> r.record().costNanos()),
      new Column("provider_cost_nanos", "int8", r -> r.record().providerCostNanos()),
      new Column("price_source", "text", r -> text(r.record().pricingVersion())),
      new Column("latency_ms", "int8", r -> r.record().latencyMillis()),
      new Column("upstream_ms", "int8", r -> r.record().upstreamMillis()),
      new Column("estimated", "bool", r -> r.record().estimated()),
      new Column("unpriced", "bool", r -> r.record().unpriced()),
      new Column("over_limits", "text", "ARRAY(SELECT jsonb_array_elements_text(u.over_limits::jsonb))",
          r -> json(r.record().overLimits().stream().map(RequestLogProjection::text).toList())),
      new Column("agent", "text", r -> text(r.attribution().agent())),
      new Column("session", "text", r -> text(r.attribution().session())),
      new Column("customer", "text", r -> text(r.attribution().customer())),
      new Column("team", "text", r -> text(r.attribution().team())),
      new Column("user_id", "text", r -> text(r.attribution().user())),
      new Column("tags", "text", "u.tags::jsonb", r -> json(r.attribution().tags().entrySet().stream()
          .collect(Collectors.toMap(e -> text(e.getKey()), e -> text(e.getValue()), (a, b) -> a, LinkedHashMap::new)))));

  /** One statement per group: every column sent as an array, unnested into rows (one round trip). */
  private static final String INSERT = "INSERT INTO request_log ("
      + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")) + ") SELECT "
      + COLUMNS.stream().map(Column::stored).collect(Collectors.joining(", ")) + " FROM unnest("
      + COLUMNS.stream().map(c -> "?::" + c.sentAs() + "[]").collect(Collectors.joining(", ")) + ") AS u("
      + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")) + ")";

  private RequestLogProjection() {}

  /** The projection, to be run by one node at a time (a sharded daemon process of one). */
  public static Projection<UsageBatch> create(ActorSystem<?> system, DataSource pool, ProjectionLag lag) {
    return JdbcProjection.groupedWithin(ID, new JournalUsageSource(system, pool, ID.name(), lag),
            () -> new PooledJdbcSession(pool), () -> new Writer(pool, lag), system)
        .withGroup(GROUP_EVENTS, GROUP_WAIT);
  }

  /** Writes a group of usage batches, in the transaction that also moves the offset. */
  private static final class Writer extends JdbcHandler<List<UsageBatch>, PooledJdbcSession> {
    private final DataSource pool;
    private final ProjectionLag lag;
    private final Set<YearMonth> partitions = new HashSet<>();

    Writer(DataSource pool, ProjectionLag lag) {
      this.pool = pool;
      this.lag = lag;
    }

    @Override
    public void process(PooledJdbcSession session, List<UsageBatch> batches) throws Exception {
      List<Row> rows = new ArrayList<>();
      long newest = 0;
      for (UsageBatch batch : batches) {
        batch.event().records().forEach(r -> rows.add(new Row(batch.orgId(), r)));
        newest = Math.max(newest, batch.writtenAtMillis());
      }
      makePartitions(rows);
      session.withConnection(connection -> insert(connection, rows));
      lag.written(ID.name(), newest);
    }

    /** Outside the group's transaction: a month's partition is made once, and no lock is held with the rows. */
    private void makePartitions(List<Row> rows) throws SQLException {
      Set<YearMonth> missing = new HashSet<>();
      for (Row row : rows) {
        YearMonth month = RequestLogPartitions.monthOf(row.record().admittedAtMillis());
        if (!partitions.contains(month)) {
          missing.add(month);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(true);
        for (YearMonth month : missing) {
          RequestLogPartitions.ensure(c, month);
        }
      }
      partitions.addAll(missing);
    }
  }

  /** Inserts the rows; returns how many. */
  static int insert(Connection connection, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    try (PreparedStatement st = connection.prepareStatement(INSERT)) {
      int i = 1;
      for (Column column : COLUMNS) {
        Object[] values = new Object[rows.size()];
        for (int r = 0; r < values.length; r++) {
          values[r] = column.value().apply(rows.get(r));
        }
        st.setArray(i++, connection.createArrayOf(column.sentAs(), values));
      }
      return st.executeUpdate();
    }
  }

  private static String text(String value) {
    return SafeText.clean(value, MAX_TEXT);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
