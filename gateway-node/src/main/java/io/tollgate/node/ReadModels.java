package io.tollgate.node;

import io.tollgate.node.config.RecordSettings;
import io.tollgate.persistence.projection.DenialLogProjection;
import io.tollgate.persistence.projection.ProjectionLag;
import io.tollgate.persistence.projection.RequestLogProjection;
import io.tollgate.persistence.projection.Retention;
import io.tollgate.persistence.projection.WebhookProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the read models up to date: each projection runs on exactly one node of those with the role
 * {@code read-models} ({@code TOLLGATE_READ_MODELS}, on by default), and moves to another when that node leaves;
 * it resumes from its stored offset wherever it starts. Every node drops the
 * logs' months and the sessions past retention, hourly (forgetting is idempotent).
 */
final class ReadModels {
  private static final Logger log = LoggerFactory.getLogger(ReadModels.class);
  private static final Duration RETENTION_EVERY = Duration.ofHours(1);

  private ReadModels() {}

  static void start(ActorSystem<?> system, DataSource pool, ProjectionLag lag, Duration retention, Clock clock) {
    ShardedDaemonProcessSettings where = ShardedDaemonProcessSettings.create(system).withRole(RecordSettings.READ_MODELS);
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "request-log-projection", 1,
        i -> ProjectionBehavior.create(RequestLogProjection.create(system, pool, lag)),
        where, Optional.of(ProjectionBehavior.stopMessage()));
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "denial-log-projection", 1,
        i -> ProjectionBehavior.create(DenialLogProjection.create(system, pool, lag)),
        where, Optional.of(ProjectionBehavior.stopMessage()));
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "webhook-projection", 1,
        i -> ProjectionBehavior.create(WebhookProjection.create(system, pool, lag)),
        where, Optional.of(ProjectionBehavior.stopMessage()));
    system.scheduler().scheduleAtFixedRate(Duration.ofSeconds(10), RETENTION_EVERY,
        () -> dropExpired(pool, retention, clock), system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  private static void dropExpired(DataSource pool, Duration retention, Clock clock) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(true);
      List<String> forgotten = Retention.apply(c, clock.instant().minus(retention));
      if (!forgotten.isEmpty()) {
        log.atInfo().addKeyValue("forgotten", forgotten).addKeyValue("retention_days", retention.toDays())
            .log("forgot records past retention");
      }
    } catch (SQLException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("cannot forget old records; trying again in an hour");
    }
  }
}
