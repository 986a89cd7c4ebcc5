package io.tollgate.node.org;

import io.tollgate.node.metrics.Metrics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/** Samples what the cluster looks like from this node (members by status, shards and orgs hosted here). */
public final class ClusterGauges {
  private static final Duration EVERY = Duration.ofSeconds(5);

  private ClusterGauges() {}

  public static void start(ActorSystem<?> system, Metrics metrics) {
    system.scheduler().scheduleWithFixedDelay(EVERY, EVERY, () -> sample(system, metrics), system.executionContext());
  }

  private static void sample(ActorSystem<?> system, Metrics metrics) {
    CurrentClusterState state = Cluster.get(system).state();
    int up = 0;
    int other = 0;
    for (var member : state.getMembers()) {
      if (member.status().equals(MemberStatus.up())) {
        up++;
      } else {
        other++;
      }
    }
    metrics.cluster(up, state.getUnreachable().size(), other);
    AskPattern.<GetShardRegionState, CurrentShardRegionState>ask(ClusterSharding.get(system).shardState().narrow(),
            replyTo -> new GetShardRegionState(OrgEntity.TYPE_KEY, replyTo), EVERY, system.scheduler())
        .thenAccept(region -> metrics.sharding(region.getShards().size(),
            region.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum()));
  }
}
