package io.tollgate.node;

import io.tollgate.persistence.projection.UsageProjection;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;

/**
 * Keeps the usage read model up to date: the projection runs on exactly one node of the cluster, and moves to
 * another when that node leaves; it resumes from its stored offset wherever it starts.
 */
final class UsageReadModel {
  private UsageReadModel() {}

  static void start(ActorSystem<?> system, DataSource pool) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "usage-projection", 1,
        i -> ProjectionBehavior.create(UsageProjection.create(system, pool)),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }
}
