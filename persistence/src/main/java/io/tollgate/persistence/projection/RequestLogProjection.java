package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.arrayLiteral;
import static io.tollgate.persistence.projection.LogValues.tags;
import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.persistence.projection.JournalSource.Journaled;
import io.tollgate.persistence.projection.UnnestInsert.Column;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.UsageRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects the journal's usage batches into {@code request_log}, one row per request, and into
 * {@code sessions} and the invoice tables; the sessions closed by the API; and the outcomes reported and reviewed into
 * {@code outcomes}. Exactly once: a group's rows and the offset past them commit in one transaction. A
 * month's partition is made before its first row.
 */
public final class RequestLogProjection {
  public static final ProjectionId ID = ProjectionId.of("request-log", "journal");
  private static final int GROUP_EVENTS = 200;
  private static final Duration GROUP_WAIT = Duration.ofMillis(500);

  /** A record and the org it belongs to. */
  record Row(String orgId, UsageRecord record) {
    Attribution attribution() {
      return record.attribution() == null ? Attribution.NONE : record.attribution();
    }
  }

  private static final UnnestInsert<Row> INSERT = new UnnestInsert<>("request_log", List.of(
      new Column<>("org_id", "text", r -> r.orgId()),
      new Column<>("admitted_at", "int8", UnnestInsert.millisAsTime("admitted_at"), r -> r.record().admittedAtMillis()),
      new Column<>("reservation", "text", r -> r.record().reservation().incarnation() + ":" + r.record().reservation().seq()),
      new Column<>("request_id", "text", r -> text(r.record().requestId())),
      new Column<>("finished_at", "int8", UnnestInsert.millisAsTime("finished_at"), r -> r.record().finishedAtMillis()),
      new Column<>("key_id", "text", r -> text(r.record().keyId())),
      new Column<>("provider", "text", r -> text(r.record().provider())),
      new Column<>("api", "text", r -> text(r.record().api())),
      new Column<>("model", "text", r -> text(r.record().model())),
      new Column<>("status", "int4", r -> r.record().status()),
      new Column<>("outcome", "text", r -> r.record().outcome().name().toLowerCase(Locale.ROOT)),
      new Column<>("input_tokens", "int8", r -> r.record().tokens().input()),
      new Column<>("output_tokens", "int8", r -> r.record().tokens().output()),
      new Column<>("cache_read_tokens", "int8", r -> r.record().tokens().cacheRead()),
      new Column<>("cache_write_tokens", "int8", r -> r.record().tokens().cacheWrite()),
      new Column<>("reasoning_tokens", "int8", r -> r.record().tokens().reasoningOrZero()),
      new Column<>("cost_nanos", "int8", r -> r.record().costNanos()),
      new Column<>("provider_cost_nanos", "int8", r -> r.record().providerCostNanos()),
      new Column<>("price_source", "text", r -> text(r.record().pricingVersion())),
      new Column<>("latency_ms", "int8", r -> r.record().latencyMillis()),
      new Column<>("upstream_ms", "int8", r -> r.record().upstreamMillis()),
      new Column<>("estimated", "bool", r -> r.record().estimated()),
      new Column<>("unpriced", "bool", r -> r.record().unpriced()),
      new Column<>("over_limits", "text", "u.over_limits::text[]", r -> arrayLiteral(r.record().overLimits())),
      new Column<>("agent", "text", r -> text(r.attribution().agent())),
      new Column<>("session", "text", r -> text(r.attribution().session())),
      new Column<>("customer", "text", r -> text(r.attribution().customer())),
      new Column<>("team", "text", r -> text(r.attribution().team())),
      new Column<>("user_id", "text", r -> text(r.attribution().user())),
      // Most requests have no tags: NULL sent, '{}' stored, nothing to parse.
      new Column<>("tags", "text", "coalesce(u.tags::jsonb, '{}')",
          r -> r.attribution().tags().isEmpty() ? null : tags(r.attribution()))));

  private RequestLogProjection() {}

  /** The projection, to be run by one node at a time (a sharded daemon process of one). */
  public static Projection<Journaled<OrgEvent>> create(ActorSystem<?> system, DataSource pool, ProjectionLag lag) {
    return JdbcProjection.groupedWithin(ID, JournalSource.usageAndSessions(system, pool, ID.name(), lag),
            () -> new PooledJdbcSession(pool), () -> new Writer(pool, lag), system)
        .withGroup(GROUP_EVENTS, GROUP_WAIT);
  }

  /** Writes a group of usage batches and closes, in the transaction that also moves the offset. */
  private static final class Writer extends JdbcHandler<List<Journaled<OrgEvent>>, PooledJdbcSession> {
    private final MonthlyPartitions.Maker partitions;
    private final ProjectionLag lag;

    Writer(DataSource pool, ProjectionLag lag) {
      this.partitions = new MonthlyPartitions.Maker(pool, "request_log");
      this.lag = lag;
    }

    @Override
    public void process(PooledJdbcSession session, List<Journaled<OrgEvent>> events) throws Exception {
      List<Row> rows = new ArrayList<>();
      SessionRollup sessions = new SessionRollup();
      InvoiceRollup invoices = new InvoiceRollup();
      List<Journaled<OrgEvent>> others = new ArrayList<>(); // closes and outcomes, in journal order
      long newest = 0;
      for (Journaled<OrgEvent> e : events) {
        if (e.event() instanceof OrgEvent.UsageRecorded batch) {
          for (UsageRecord r : batch.records()) {
            rows.add(new Row(e.orgId(), r));
            sessions.add(e.orgId(), r);
            invoices.add(e.orgId(), r);
          }
        } else {
          others.add(e);
        }
        newest = Math.max(newest, e.writtenAtMillis());
      }
      partitions.ensureFor(rows.stream().mapToLong(r -> r.record().admittedAtMillis()));
      session.withConnection(connection -> {
        insert(connection, rows);
        sessions.write(connection);
        invoices.write(connection);
        for (Journaled<OrgEvent> e : others) {
          if (e.event() instanceof OrgEvent.SessionClosed closed) {
            SessionRollup.close(connection, e.orgId(), closed.session(), closed.atMillis());
          } else {
            OutcomeWriter.write(connection, e.orgId(), e.event());
          }
        }
        return null;
      });
      lag.written(ID.name(), newest);
    }
  }

  /** Inserts the rows; returns how many. */
  static int insert(Connection connection, List<Row> rows) throws SQLException {
    return INSERT.insert(connection, rows);
  }
}
