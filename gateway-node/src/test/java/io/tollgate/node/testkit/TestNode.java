package io.tollgate.node.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.config.NodeSettings;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.DatabaseSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A real node for tests: loopback ports picked by the OS, a real PostgreSQL schema, the simulator as its
 * OpenAI upstream. Several started with the same database and a seed form a cluster in one JVM.
 */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String UPSTREAM_KEY = "sk-upstream-secret-for-tests";

  private final TollgateNode node;
  private final Database database;

  private TestNode(TollgateNode node, Database database) {
    this.node = node;
    this.database = database;
  }

  /** Options for one node; {@code extra} is HOCON layered over the defaults. */
  public record Options(DatabaseSettings db, String upstreamBaseUrl, String seed, Clock clock, String extra) {
    public Options withSeed(String seed) {
      return new Options(db, upstreamBaseUrl, seed, clock, extra);
    }

    public Options withExtra(String more) {
      return new Options(db, upstreamBaseUrl, seed, clock, extra + "\n" + more);
    }
  }

  public static Options options(DatabaseSettings db, String upstreamBaseUrl, Clock clock) {
    return new Options(db, upstreamBaseUrl, null, clock, "");
  }

  public static TestNode start(Options o) {
    Config config = ConfigFactory.parseString(o.extra())
        .withFallback(ConfigFactory.parseString(String.format("""
            tollgate.http.port = 0
            tollgate.cluster.port = 0
            tollgate.cluster.seed-nodes = "%s"
            tollgate.db.url = "%s"
            tollgate.db.user = "%s"
            tollgate.db.password = "%s"
            tollgate.db.schema = "%s"
            tollgate.db.pool-size = 4
            tollgate.admin-token = "%s"
            tollgate.key-pepper = "test-pepper-0123456789abcdef"
            tollgate.providers.openai.base-url = "%s"
            tollgate.providers.openai.api-key = "%s"
            tollgate.admission-timeout = 3s
            tollgate.upstream-timeout = 10s
            tollgate.settle.attempt-timeout = 2s
            tollgate.shutdown-drain = 5s
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.split-brain-resolver.stable-after = 3s
            pekko.cluster.gossip-interval = 200ms
            pekko.cluster.leader-actions-interval = 200ms
            pekko.cluster.sharding.retry-interval = 200ms
            kamon.metric.tick-interval = 1s
            """, o.seed() == null ? "" : o.seed(), o.db().url(), nullToEmpty(o.db().user()), nullToEmpty(o.db().password()),
            o.db().schema(), ADMIN_TOKEN, o.upstreamBaseUrl(), UPSTREAM_KEY)))
        .withFallback(ConfigFactory.load());
    NodeSettings settings = NodeSettings.from(config);
    Database database = Database.open(settings.database());
    database.migrate();
    return new TestNode(TollgateNode.start(config, settings, database, o.clock()), database);
  }

  /** Starts {@code n} nodes that form one cluster; the first is the seed. */
  public static List<TestNode> cluster(int n, Options o) {
    List<TestNode> nodes = new ArrayList<>();
    nodes.add(start(o));
    String seed = "127.0.0.1:" + nodes.get(0).clusterPort();
    for (int i = 1; i < n; i++) {
      nodes.add(start(o.withSeed(seed)));
    }
    return nodes;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  public int clusterPort() {
    return Cluster.get(node.system()).selfMember().address().getPort().get();
  }

  public TollgateNode node() {
    return node;
  }

  public AdminClient admin() {
    return new AdminClient(baseUrl(), ADMIN_TOKEN);
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
