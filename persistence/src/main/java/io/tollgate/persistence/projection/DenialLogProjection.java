package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.tags;
import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.persistence.projection.JournalSource.Journaled;
import io.tollgate.persistence.projection.CopyInsert.Column;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.OrgEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects the journal's refusals into {@code denial_log}, one row per refusal kept in detail, and the
 * refusals an org could not keep into {@code denial_log_dropped}; exactly once, with the offset.
 */
public final class DenialLogProjection {
  public static final ProjectionId ID = ProjectionId.of("denial-log", "journal");
  private static final int GROUP_EVENTS = 200;
  private static final Duration GROUP_WAIT = Duration.ofMillis(500);

  /** A refusal and the org it belongs to. */
  record Row(String orgId, Denial denial) {}

  private static final CopyInsert<Row> INSERT = new CopyInsert<>("denial_log", List.of(
      new Column<>("org_id", Row::orgId),
      new Column<>("at", r -> CopyInsert.time(r.denial().atMillis())),
      new Column<>("request_id", r -> text(r.denial().requestId())),
      new Column<>("key_id", r -> text(r.denial().keyId())),
      new Column<>("provider", r -> text(r.denial().provider())),
      new Column<>("model", r -> text(r.denial().model())),
      new Column<>("reason", r -> r.denial().reason().name().toLowerCase(Locale.ROOT)),
      new Column<>("status", r -> r.denial().status()),
      new Column<>("scope", r -> text(r.denial().scope())),
      new Column<>("limit_name", r -> text(r.denial().limit())),
      new Column<>("agent", r -> text(r.denial().attribution().agent())),
      new Column<>("session", r -> text(r.denial().attribution().session())),
      new Column<>("customer", r -> text(r.denial().attribution().customer())),
      new Column<>("team", r -> text(r.denial().attribution().team())),
      new Column<>("user_id", r -> text(r.denial().attribution().user())),
      new Column<>("tags", r -> tags(r.denial().attribution()))));

  private static final String ADD_DROPPED = """
      INSERT INTO denial_log_dropped (org_id, day, dropped) VALUES (?, ?, ?)
      ON CONFLICT (org_id, day) DO UPDATE SET dropped = denial_log_dropped.dropped + EXCLUDED.dropped
      """;

  private DenialLogProjection() {}

  /** The projection, to be run by one node at a time (a sharded daemon process of one). */
  public static Projection<Journaled<OrgEvent.RequestsDenied>> create(ActorSystem<?> system, DataSource pool,
      ProjectionLag lag) {
    return JdbcProjection.groupedWithin(ID, JournalSource.denials(system, pool, ID.name(), lag),
            () -> new PooledJdbcSession(pool), () -> new Writer(pool, lag), system)
        .withGroup(GROUP_EVENTS, GROUP_WAIT);
  }

  /** Writes a group of refusal events, in the transaction that also moves the offset. */
  private static final class Writer extends JdbcHandler<List<Journaled<OrgEvent.RequestsDenied>>, PooledJdbcSession> {
    private final MonthlyPartitions.Maker partitions;
    private final ProjectionLag lag;

    Writer(DataSource pool, ProjectionLag lag) {
      this.partitions = new MonthlyPartitions.Maker(pool, "denial_log");
      this.lag = lag;
    }

    @Override
    public void process(PooledJdbcSession session, List<Journaled<OrgEvent.RequestsDenied>> events) throws Exception {
      List<Row> rows = new ArrayList<>();
      Map<String, Long> dropped = new TreeMap<>(); // "org|day", in a fixed order: no two groups lock rows crosswise
      long newest = 0;
      for (Journaled<OrgEvent.RequestsDenied> e : events) {
        e.event().details().forEach(d -> rows.add(new Row(e.orgId(), d)));
        if (e.event().detailsDropped() > 0) {
          dropped.merge(e.orgId() + "|" + day(e.event().toMillis()), e.event().detailsDropped(), Long::sum);
        }
        newest = Math.max(newest, e.writtenAtMillis());
      }
      partitions.ensureFor(rows.stream().mapToLong(r -> r.denial().atMillis()));
      session.withConnection(connection -> {
        insert(connection, rows);
        addDropped(connection, dropped);
        return null;
      });
      lag.written(ID.name(), newest);
    }
  }

  static long insert(Connection connection, List<Row> rows) throws SQLException {
    return INSERT.insert(connection, rows);
  }

  private static void addDropped(Connection connection, Map<String, Long> dropped) throws SQLException {
    if (dropped.isEmpty()) {
      return;
    }
    try (PreparedStatement st = connection.prepareStatement(ADD_DROPPED)) {
      for (Map.Entry<String, Long> d : dropped.entrySet()) {
        int bar = d.getKey().lastIndexOf('|');
        st.setString(1, d.getKey().substring(0, bar));
        st.setObject(2, LocalDate.parse(d.getKey().substring(bar + 1)));
        st.setLong(3, d.getValue());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static LocalDate day(long epochMillis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}
