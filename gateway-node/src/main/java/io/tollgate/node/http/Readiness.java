package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.webhook.WebhookOutbox.Backlog;
import io.tollgate.protocol.Json;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Ready means: this node is an Up member of the cluster, org sharding is started, and the journal's
 * database answers. The database is pinged in the background every second, and a check answers at once from
 * the last ping; a ping still waiting after {@link #PING_TIMEOUT} counts as unreachable, so the probe answers
 * promptly and truly even while the database host is silent.
 */
public final class Readiness {
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final Database database;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tollgate-db-ping");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean shardingStarted;
  private volatile boolean databaseUp;
  private volatile boolean pinging;
  private volatile long pingStartedNanos;
  private volatile Supplier<Backlog> webhooks = () -> null;

  /**
   * The state of each condition; ready when all hold. {@code webhooks} is the webhook deliveries' backlog,
   * shown but never failing readiness (a slow receiver is no reason to take a node out of the balancer).
   */
  public record Status(boolean clusterUp, boolean shardingStarted, boolean journalReachable, Backlog webhooks) {
    public boolean ready() {
      return clusterUp && shardingStarted && journalReachable;
    }

    ObjectNode json() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("status", ready() ? "ready" : "not_ready");
      o.put("cluster_member_up", clusterUp);
      o.put("sharding_started", shardingStarted);
      o.put("journal_reachable", journalReachable);
      if (webhooks != null) {
        ObjectNode backlog = o.putObject("webhook_backlog");
        backlog.put("pending", webhooks.pending());
        backlog.put("oldest_pending_at", webhooks.oldest() == null ? null : webhooks.oldest().toString());
      }
      return o;
    }
  }

  /** Pings the database once before answering any check, so a node that just started reads it right. */
  public Readiness(ActorSystem<?> system, Database database) {
    this.system = system;
    this.database = database;
    databaseUp = database.ping(PING_TIMEOUT);
    pinger.scheduleWithFixedDelay(this::ping, 1, 1, TimeUnit.SECONDS);
  }

  public void shardingStarted() {
    shardingStarted = true;
  }

  /** Where the webhook deliveries' last counted backlog is read from. */
  public void webhooks(Supplier<Backlog> backlog) {
    webhooks = backlog;
  }

  public Status check() {
    boolean clusterUp = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
    boolean overdue = pinging && System.nanoTime() - pingStartedNanos > PING_TIMEOUT.toNanos();
    return new Status(clusterUp, shardingStarted, databaseUp && !overdue, webhooks.get());
  }

  private void ping() {
    pingStartedNanos = System.nanoTime();
    pinging = true;
    try {
      databaseUp = database.ping(PING_TIMEOUT);
    } finally {
      pinging = false;
    }
  }

  public void close() {
    pinger.shutdownNow();
  }
}
