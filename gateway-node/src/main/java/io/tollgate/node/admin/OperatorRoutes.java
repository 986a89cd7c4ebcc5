package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.upstream.Upstreams;
import io.tollgate.persistence.projection.ProjectionProgress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What only the operator reads: {@code /admin/upstreams} (this node's view of each provider's deployments) and
 * {@code /admin/cluster} (the members, the org shards and orgs each hosts, and how far each read model trails
 * the journal). Rendering only.
 */
public final class OperatorRoutes {
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final Upstreams upstreams;
  private final ProjectionProgress projections;
  private final Executor blocking;
  private final Clock clock;

  public OperatorRoutes(ActorSystem<?> system, Upstreams upstreams, ProjectionProgress projections, Executor blocking,
      Clock clock) {
    this.system = system;
    this.upstreams = upstreams;
    this.projections = projections;
    this.blocking = blocking;
    this.clock = clock;
  }

  Route routes() {
    return concat(
        path("upstreams", () -> get(() -> complete(AdminRoutes.jsonResponse(StatusCodes.OK,
            UpstreamsJson.upstreams(upstreams.all(), clock.millis()))))),
        path("cluster", () -> get(() -> completeWithFuture(cluster()
            .thenApply(body -> AdminRoutes.jsonResponse(StatusCodes.OK, body))
            .exceptionally(AdminRoutes::unavailable)))));
  }

  private CompletionStage<ObjectNode> cluster() {
    CompletionStage<ShardRegion.ClusterShardingStats> shards = AskPattern.ask(ClusterSharding.get(system).shardState(),
        replyTo -> new GetClusterShardingStats(OrgEntity.TYPE_KEY, STATS_TIMEOUT, replyTo),
        STATS_TIMEOUT.plusSeconds(1), system.scheduler());
    CompletableFuture<List<ProjectionProgress.Progress>> progress = CompletableFuture.supplyAsync(() -> {
      try {
        return projections.read();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
    return shards.thenCombine(progress, this::render);
  }

  private ObjectNode render(ShardRegion.ClusterShardingStats shards, List<ProjectionProgress.Progress> progress) {
    Cluster cluster = Cluster.get(system);
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("self", cluster.selfMember().address().toString());
    Address leader = cluster.state().getLeader();
    o.put("leader", leader == null ? null : leader.toString());
    ArrayNode members = o.putArray("members");
    Map<Address, ShardRegion.ShardRegionStats> regions = shards.getRegions();
    for (Member m : cluster.state().getMembers()) {
      ObjectNode member = members.addObject();
      member.put("address", m.address().toString());
      member.put("status", m.status().toString().toLowerCase(java.util.Locale.ROOT));
      ArrayNode roles = member.putArray("roles");
      m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
      ShardRegion.ShardRegionStats region = regions.get(m.address());
      member.put("org_shards", region == null ? 0 : region.getStats().size());
      member.put("orgs", region == null ? 0 : region.getStats().values().stream().mapToLong(n -> (Integer) n).sum());
      member.put("unreachable", cluster.state().getUnreachable().contains(m));
    }
    long now = clock.millis();
    ArrayNode lag = o.putArray("projections");
    for (ProjectionProgress.Progress p : progress) {
      ObjectNode entry = lag.addObject();
      entry.put("projection", p.projection());
      entry.put("pending_events", p.pendingEvents());
      entry.put("lag_seconds", p.oldestPendingAtMillis() == null ? 0 : Math.max(0, now - p.oldestPendingAtMillis()) / 1000);
      entry.put("last_written_at", p.lastUpdatedMillis() == null ? null : Instant.ofEpochMilli(p.lastUpdatedMillis()).toString());
    }
    return o;
  }
}
