package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.arrayLiteral;
import static io.tollgate.persistence.projection.LogValues.attempts;
import static io.tollgate.persistence.projection.LogValues.tags;
import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.persistence.projection.JournalSource.Journaled;
import io.tollgate.persistence.projection.CopyInsert.Column;
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
 * {@code usage_daily}, {@code sessions} and the invoice tables; the sessions closed by the API; the outcomes
 * reported and reviewed into {@code outcomes}; and the admin changes into {@code audit_log}. One projection
 * reads each batch once for all of them. Exactly once: a group's rows and the offset past them commit in one
 * transaction. A month's partition is made before its first row.
 */
public final class RequestLogProjection {
  public static final ProjectionId ID = ProjectionId.of("request-log", "journal");
  private static final int GROUP_EVENTS = 1000;
  private static final Duration GROUP_WAIT = Duration.ofMillis(500);

  /** A record and the org it belongs to. */
  record Row(String orgId, UsageRecord record) {
    Attribution attribution() {
      return record.attribution() == null ? Attribution.NONE : record.attribution();
    }
  }

  private static final CopyInsert<Row> INSERT = new CopyInsert<>("request_log", List.of(
      new Column<>("org_id", r -> r.orgId()),
      new Column<>("admitted_at", r -> CopyInsert.time(r.record().admittedAtMillis())),
      new Column<>("reservation", r -> r.record().reservation().incarnation() + ":" + r.record().reservation().seq()),
      new Column<>("request_id", r -> text(r.record().requestId())),
      new Column<>("finished_at", r -> CopyInsert.time(r.record().finishedAtMillis())),
      new Column<>("key_id", r -> text(r.record().keyId())),
      new Column<>("provider", r -> text(r.record().provider())),
      new Column<>("api", r -> text(r.record().api())),
      new Column<>("model", r -> text(r.record().model())),
      new Column<>("status", r -> r.record().status()),
      new Column<>("outcome", r -> r.record().outcome().name().toLowerCase(Locale.ROOT)),
      new Column<>("input_tokens", r -> r.record().tokens().input()),
      new Column<>("output_tokens", r -> r.record().tokens().output()),
      new Column<>("cache_read_tokens", r -> r.record().tokens().cacheRead()),
      new Column<>("cache_write_tokens", r -> r.record().tokens().cacheWrite()),
      new Column<>("reasoning_tokens", r -> r.record().tokens().reasoningOrZero()),
      new Column<>("cost_nanos", r -> r.record().costNanos()),
      new Column<>("provider_cost_nanos", r -> r.record().providerCostNanos()),
      new Column<>("price_source", r -> text(r.record().pricingVersion())),
      new Column<>("latency_ms", r -> r.record().latencyMillis()),
      new Column<>("upstream_ms", r -> r.record().upstreamMillis()),
      new Column<>("estimated", r -> r.record().estimated()),
      new Column<>("unpriced", r -> r.record().unpriced()),
      new Column<>("over_limits", r -> arrayLiteral(r.record().overLimits())),
      new Column<>("agent", r -> text(r.attribution().agent())),
      new Column<>("session", r -> text(r.attribution().session())),
      new Column<>("customer", r -> text(r.attribution().customer())),
      new Column<>("team", r -> text(r.attribution().team())),
      new Column<>("user_id", r -> text(r.attribution().user())),
      new Column<>("tags", r -> r.attribution().tags().isEmpty() ? "{}" : tags(r.attribution())),
      new Column<>("attempts", r -> attempts(r.record().attempts())),
      new Column<>("saved_cost_nanos", r -> r.record().savedCostNanos())));

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
    /** Read with the first group: where usage_daily and the request log stood before they were projected together. */
    private ReadModelFloors floors;

    Writer(DataSource pool, ProjectionLag lag) {
      this.partitions = new MonthlyPartitions.Maker(pool, "request_log");
      this.lag = lag;
    }

    @Override
    public void process(PooledJdbcSession session, List<Journaled<OrgEvent>> events) throws Exception {
      if (floors == null) {
        floors = session.withConnection(ReadModelFloors::load);
      }
      List<Row> rows = new ArrayList<>();
      DailyUsage daily = new DailyUsage();
      SessionRollup sessions = new SessionRollup();
      InvoiceRollup invoices = new InvoiceRollup();
      List<Journaled<OrgEvent>> others = new ArrayList<>(); // closes, outcomes and audits, in journal order
      long newest = 0;
      for (Journaled<OrgEvent> e : events) {
        boolean logged = floors.holds(ReadModelFloors.REQUEST_LOG, e.offset());
        if (e.event() instanceof OrgEvent.UsageRecorded batch) {
          boolean counted = floors.holds(ReadModelFloors.USAGE_DAILY, e.offset());
          for (UsageRecord r : batch.records()) {
            if (!counted) {
              daily.add(e.orgId(), r);
            }
            if (!logged) {
              rows.add(new Row(e.orgId(), r));
              sessions.add(e.orgId(), r);
              invoices.add(e.orgId(), r);
            }
          }
        } else if (!logged) {
          others.add(e);
        }
        newest = Math.max(newest, e.writtenAtMillis());
      }
      partitions.ensureFor(rows.stream().mapToLong(r -> r.record().admittedAtMillis()));
      session.withConnection(connection -> {
        insert(connection, rows);
        UsageDailyUpsert.upsert(connection, daily.rows());
        sessions.write(connection);
        invoices.write(connection);
        for (Journaled<OrgEvent> e : others) {
          if (e.event() instanceof OrgEvent.SessionClosed closed) {
            SessionRollup.close(connection, e.orgId(), closed.session(), closed.atMillis());
          } else if (e.event() instanceof OrgEvent.AdminAudited audited) {
            AuditWriter.write(connection, e.orgId(), audited.entry());
          } else {
            OutcomeWriter.write(connection, e.orgId(), e.event());
          }
        }
        if (!events.isEmpty()) {
          floors.passed(connection, events.get(events.size() - 1).offset());
        }
        return null;
      });
      lag.written(ID.name(), newest);
    }
  }

  /** Inserts the rows; returns how many. */
  static long insert(Connection connection, List<Row> rows) throws SQLException {
    return INSERT.insert(connection, rows);
  }
}
