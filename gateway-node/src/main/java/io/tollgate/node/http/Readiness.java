package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.Database;
import io.tollgate.protocol.Json;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Ready means: this node is an Up member of the cluster, org sharding is started, and the journal's
 * database answers. The database check runs off the request threads and is cached for a second.
 */
public final class Readiness {
  private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();

  private final ActorSystem<?> system;
  private final Database database;
  private final ExecutorService pinger = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tollgate-db-ping");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean shardingStarted;
  private volatile boolean databaseUp;
  private volatile long checkedAtNanos = System.nanoTime() - 2 * CACHE_NANOS;

  /** The state of each condition; ready when all hold. */
  public record Status(boolean clusterUp, boolean shardingStarted, boolean journalReachable) {
    public boolean ready() {
      return clusterUp && shardingStarted && journalReachable;
    }

    ObjectNode json() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("status", ready() ? "ready" : "not_ready");
      o.put("cluster_member_up", clusterUp);
      o.put("sharding_started", shardingStarted);
      o.put("journal_reachable", journalReachable);
      return o;
    }
  }

  public Readiness(ActorSystem<?> system, Database database) {
    this.system = system;
    this.database = database;
  }

  public void shardingStarted() {
    shardingStarted = true;
  }

  public CompletionStage<Status> check() {
    boolean clusterUp = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
    CompletionStage<Boolean> db = System.nanoTime() - checkedAtNanos < CACHE_NANOS
        ? CompletableFuture.completedFuture(databaseUp)
        : CompletableFuture.supplyAsync(() -> {
          databaseUp = database.ping(Duration.ofSeconds(2));
          checkedAtNanos = System.nanoTime();
          return databaseUp;
        }, pinger);
    return db.thenApply(up -> new Status(clusterUp, shardingStarted, up));
  }

  public void close() {
    pinger.shutdownNow();
  }
}
