package io.tollgate.node.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.config.NodeSettings;
import io.tollgate.node.request.RequestFaults;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.node.org.OrgEntity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A real node for tests: loopback ports picked by the OS, a real PostgreSQL schema, the simulator as its
 * OpenAI upstream. Several started with the same database and a seed form a cluster in one JVM.
 */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String UPSTREAM_KEY = "sk-upstream-secret-for-tests";
  public static final String KEY_PEPPER = "test-pepper-0123456789abcdef";

  private final TollgateNode node;
  private final Database database;

  private TestNode(TollgateNode node, Database database) {
    this.node = node;
    this.database = database;
  }

  /** Options for one node; {@code extra} is HOCON layered over the defaults. */
  public record Options(DatabaseSettings db, String upstreamBaseUrl, String seed, Clock clock, String extra,
      RequestFaults faults) {
    public Options withSeed(String seed) {
      return new Options(db, upstreamBaseUrl, seed, clock, extra, faults);
    }

    public Options withExtra(String more) {
      return new Options(db, upstreamBaseUrl, seed, clock, extra + "\n" + more, faults);
    }

    public Options withFaults(RequestFaults faults) {
      return new Options(db, upstreamBaseUrl, seed, clock, extra, faults);
    }
  }

  public static Options options(DatabaseSettings db, String upstreamBaseUrl, Clock clock) {
    return new Options(db, upstreamBaseUrl, null, clock, "", RequestFaults.NONE);
  }

  public static TestNode start(Options o) {
    Config config = ConfigFactory.parseString(o.extra())
        .withFallback(ConfigFactory.parseString(String.format("""
            tollgate.http.port = 0
            tollgate.management.port = 0
            tollgate.providers.forward-headers = "x-sim-*"
            tollgate.cluster.port = 0
            tollgate.cluster.seed-nodes = "%s"
            tollgate.db.url = "%s"
            tollgate.db.user = "%s"
            tollgate.db.password = "%s"
            tollgate.db.schema = "%s"
            tollgate.db.pool-size = 4
            tollgate.admin-token = "%s"
            tollgate.key-pepper = "%s"
            tollgate.providers.openai.base-url = "%s"
            tollgate.providers.openai.api-key = "%s"
            tollgate.admission.timeout = 3s
            tollgate.requests.upstream-timeout = 10s
            tollgate.settle.attempt-timeout = 2s
            tollgate.requests.shutdown-drain = 5s
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.split-brain-resolver.stable-after = 3s
            pekko.cluster.gossip-interval = 200ms
            pekko.cluster.leader-actions-interval = 200ms
            pekko.cluster.sharding.retry-interval = 200ms
            kamon.metric.tick-interval = 1s
            """, o.seed() == null ? "" : o.seed(), o.db().url(), nullToEmpty(o.db().user()), nullToEmpty(o.db().password()),
            o.db().schema(), ADMIN_TOKEN, KEY_PEPPER, o.upstreamBaseUrl(), UPSTREAM_KEY)))
        .withFallback(ConfigFactory.load());
    NodeSettings settings = NodeSettings.from(config);
    Database database = Database.open(settings.database());
    database.migrate();
    return new TestNode(TollgateNode.start(config, settings, database, o.clock(), o.faults()), database);
  }

  /** Starts {@code n} nodes that form one cluster; the first is the seed. */
  public static List<TestNode> cluster(int n, Options o) {
    List<TestNode> nodes = new ArrayList<>();
    nodes.add(start(o));
    String seed = "127.0.0.1:" + nodes.get(0).clusterPort();
    for (int i = 1; i < n; i++) {
      nodes.add(start(o.withSeed(seed)));
    }
    nodes.forEach(node -> node.awaitMembersUp(n));
    return nodes;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  /** Where the node serves its metrics and probes. */
  public String managementUrl() {
    return "http://127.0.0.1:" + node.managementPort();
  }

  public int clusterPort() {
    return Cluster.get(node.system()).selfMember().address().getPort().get();
  }

  public TollgateNode node() {
    return node;
  }

  /** Waits until this node sees {@code n} members Up. */
  public void awaitMembersUp(int n) {
    Eventually.await(Duration.ofSeconds(30), () -> {
      long up = java.util.stream.StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status().equals(MemberStatus.up())).count();
      if (up != n) {
        throw new AssertionError(up + " members up, want " + n);
      }
    });
  }

  /** The org ids whose actors run on this node right now. */
  public Set<String> orgsHostedHere() {
    try {
      CurrentShardRegionState state = AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
          ClusterSharding.get(node.system()).shardState(),
          replyTo -> new GetShardRegionState(OrgEntity.TYPE_KEY, replyTo),
          Duration.ofSeconds(5), node.system().scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return state.getShards().stream().flatMap(s -> s.getEntityIds().stream()).collect(Collectors.toSet());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public ClusterSharding sharding() {
    return ClusterSharding.get(node.system());
  }

  /**
   * Kills the node the way a crash or a pulled cable would: no leaving, no handoff, no flush. The rest of
   * the cluster has to notice and down it.
   */
  public void crash() {
    node.system().terminate();
    try {
      node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      database.close();
    }
  }

  public AdminClient admin() {
    return new AdminClient(baseUrl(), ADMIN_TOKEN);
  }

  /** The node's own connection pool to its database, for tests that act on the database directly. */
  public javax.sql.DataSource dataSource() {
    return database.dataSource();
  }

  public JournalReader journal() {
    return new JournalReader(node.system());
  }

  /** The graceful stop a real node does on SIGTERM. */
  @Override
  public void close() {
    try {
      node.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop", e);
    } finally {
      database.close();
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
