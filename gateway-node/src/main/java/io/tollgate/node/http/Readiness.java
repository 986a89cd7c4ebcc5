package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.Database;
import io.tollgate.protocol.Json;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Ready means: this node is an Up member of the cluster, org sharding is started, and the journal's
 * database answers. The database is pinged off the request threads at most once a second; a check answers at
 * once from the last ping, and a ping still waiting after {@link #PING_TIMEOUT} counts as unreachable, so the
 * probe answers promptly even while the database host is silent.
 */
public final class Readiness {
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
  private static final long PING_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  private final ActorSystem<?> system;
  private final Database database;
  private final ExecutorService pinger = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tollgate-db-ping");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean pinging = new AtomicBoolean();
  private volatile boolean shardingStarted;
  private volatile boolean databaseUp;
  private volatile long pingStartedNanos;
  private volatile long pingedAtNanos;

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

  /** Pings the database once before answering any check, so a node that just started reads it right. */
  public Readiness(ActorSystem<?> system, Database database) {
    this.system = system;
    this.database = database;
    databaseUp = database.ping(PING_TIMEOUT);
    pingedAtNanos = System.nanoTime();
  }

  public void shardingStarted() {
    shardingStarted = true;
  }

  public Status check() {
    boolean clusterUp = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
    long now = System.nanoTime();
    if (now - pingedAtNanos >= PING_EVERY_NANOS && pinging.compareAndSet(false, true)) {
      pingStartedNanos = now;
      try {
        pinger.execute(this::ping);
      } catch (RejectedExecutionException stopping) {
        pinging.set(false);
        databaseUp = false;
      }
    }
    boolean overdue = pinging.get() && now - pingStartedNanos > PING_TIMEOUT.toNanos();
    return new Status(clusterUp, shardingStarted, databaseUp && !overdue);
  }

  private void ping() {
    try {
      databaseUp = database.ping(PING_TIMEOUT);
    } finally {
      pingedAtNanos = System.nanoTime();
      pinging.set(false);
    }
  }

  public void close() {
    pinger.shutdownNow();
  }
}
