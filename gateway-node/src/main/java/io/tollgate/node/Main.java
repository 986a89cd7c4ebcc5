package io.tollgate.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.config.NodeSecrets;
import io.tollgate.node.config.NodeSettings;
import io.tollgate.node.metrics.KamonSetup;
import io.tollgate.node.stream.Stages;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.DatabaseUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code java -jar tollgate-node.jar}: reads the environment, opens the database, starts the node. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Stages.ensureCommonPoolParallelism();
    // Read before any configuration: Kamon's agent must attach before Pekko's classes load. Off by default:
    // it instruments every actor message (see docs/benchmarks.md); Tollgate's own metrics need no agent.
    if ("on".equalsIgnoreCase(System.getenv().getOrDefault("TOLLGATE_KAMON_INSTRUMENTATION", "off"))) {
      KamonSetup.initWithAgent(); // first: Kamon instruments Pekko classes as they load
    }
    Config config = ConfigFactory.load();
    NodeSecrets.Resolved resolved;
    try {
      resolved = NodeSecrets.resolve(NodeSettings.from(config));
    } catch (IllegalArgumentException e) {
      fail("Configuration: " + e.getMessage(), 2);
      return;
    }
    NodeSettings settings = resolved.settings();
    Database database;
    try {
      database = Database.open(settings.database());
    } catch (DatabaseUnavailableException e) {
      fail(e.getMessage(), 3);
      return;
    }
    CompletableFuture<Void> nodeGone = new CompletableFuture<>();
    closeAtExit(database, nodeGone, settings.requests().shutdownDrain().plusSeconds(60));
    TollgateNode node;
    try {
      database.migrate();
      node = TollgateNode.start(config, settings, database, Clock.systemUTC());
    } catch (RuntimeException e) {
      nodeGone.complete(null);
      if (e instanceof DatabaseUnavailableException) {
        fail(e.getMessage(), 3);
        return;
      }
      throw e;
    }
    node.whenTerminated().whenComplete((done, error) -> {
      database.close();
      nodeGone.complete(null);
    });
    printReady(settings, node, resolved.adminTokenCreated());
  }

  /**
   * Closes the database when the JVM stops (SIGTERM, or a failed start), but only once the node is gone: the
   * node journals the answers it gives during its graceful shutdown, so its connections, and an embedded
   * PostgreSQL, must outlive it. The wait is bounded so that a stuck shutdown cannot keep the process alive.
   */
  private static void closeAtExit(Database database, CompletableFuture<Void> nodeGone, Duration limit) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        nodeGone.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // close anyway
      }
      database.close();
    }, "close-database"));
  }

  private static void printReady(NodeSettings settings, TollgateNode node, boolean showToken) {
    String base = "http://" + settings.http().host() + ":" + node.httpPort();
    String token = showToken ? settings.adminToken() : "$TOLLGATE_ADMIN_TOKEN";
    System.out.println();
    System.out.println("Tollgate is ready on " + base);
    if (showToken) {
      System.out.println("Admin token, shown this once (kept in " + settings.dataDir().resolve("admin-token") + "): " + token);
    } else if (settings.adminToken() != null && System.getenv("TOLLGATE_ADMIN_TOKEN") == null) {
      System.out.println("Admin token: in " + settings.dataDir().resolve("admin-token")
          + " (export TOLLGATE_ADMIN_TOKEN=$(cat " + settings.dataDir().resolve("admin-token") + "))");
    }
    System.out.println("Create an org:  curl -s -X POST " + base + "/admin/orgs -H 'Authorization: Bearer " + token
        + "' -H 'Content-Type: application/json' -d '{\"id\":\"acme\",\"name\":\"Acme\"}'");
    System.out.println("Issue a key:    curl -s -X POST " + base + "/admin/orgs/acme/keys -H 'Authorization: Bearer "
        + token + "' -H 'Content-Type: application/json' -d '{\"name\":\"first\"}'");
    System.out.println();
  }

  private static void fail(String message, int code) {
    System.err.println("Tollgate cannot start. " + message);
    System.exit(code);
  }
}
