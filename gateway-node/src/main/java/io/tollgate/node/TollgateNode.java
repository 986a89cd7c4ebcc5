package io.tollgate.node;

import com.typesafe.config.Config;
import io.tollgate.node.admin.AdminRoutes;
import io.tollgate.node.admin.OperatorRoutes;
import io.tollgate.node.admin.AuditRoutes;
import io.tollgate.node.admin.OrgAdmin;
import io.tollgate.node.admin.OrgListing;
import io.tollgate.node.admin.PlanAdmin;
import io.tollgate.node.admin.InvoiceRoutes;
import io.tollgate.node.admin.WebhookRoutes;
import io.tollgate.node.webhook.NoticeClock;
import io.tollgate.node.webhook.WebhookSender;
import io.tollgate.persistence.projection.ProjectionProgress;
import io.tollgate.persistence.projection.TimedNotices;
import io.tollgate.persistence.query.WebhookDeliveryQuery;
import io.tollgate.persistence.webhook.WebhookOutbox;
import io.tollgate.node.admin.RecordRoutes;
import io.tollgate.node.admin.SpendReport;
import io.tollgate.node.admin.UsageRoutes;
import io.tollgate.node.config.NodeSettings;
import io.tollgate.node.config.PekkoConfig;
import io.tollgate.node.http.CorsPolicy;
import io.tollgate.node.http.HttpRoutes;
import io.tollgate.node.http.KeepAliveTimeout;
import io.tollgate.node.http.ModelListing;
import io.tollgate.node.http.OutcomeIntake;
import io.tollgate.node.http.OpsRoutes;
import io.tollgate.node.http.ProxyIntake;
import io.tollgate.node.http.Readiness;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.org.ClusterGauges;
import io.tollgate.node.metrics.KamonSetup;
import io.tollgate.node.metrics.Metrics;
import io.tollgate.node.metrics.ProjectionLagGauge;
import io.tollgate.node.org.LocalOrgs;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.org.PlanEntity;
import io.tollgate.node.request.AccessLog;
import io.tollgate.node.request.Fallbacks;
import io.tollgate.node.request.IdempotentAnswers;
import io.tollgate.node.request.InFlightRequests;
import io.tollgate.node.request.Metering;
import io.tollgate.node.request.OnceBilling;
import io.tollgate.node.request.Pricer;
import io.tollgate.node.request.RequestDeps;
import io.tollgate.node.request.RequestFaults;
import io.tollgate.node.request.ResponseCache;
import io.tollgate.node.request.TokenEstimator;
import io.tollgate.node.request.UpstreamExchange;
import io.tollgate.node.tracing.Tracing;
import io.tollgate.node.upstream.Upstreams;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.cache.ResponseCacheStore;
import io.tollgate.node.access.Tokens;
import io.tollgate.persistence.GroupCommit;
import io.tollgate.persistence.access.AdminTokens;
import io.tollgate.persistence.billing.BilledOnce;
import io.tollgate.persistence.idempotency.IdempotencyStore;
import io.tollgate.persistence.query.OrgDirectory;
import io.tollgate.persistence.query.AuditQuery;
import io.tollgate.persistence.query.InvoiceQuery;
import io.tollgate.persistence.query.SpendQuery;
import io.tollgate.persistence.query.UsageQuery;
import io.tollgate.protocol.pricing.PricingCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its actor system in the cluster, org sharding, upstream pools and HTTP server, wired
 * together, with a shutdown that stops accepting, lets requests finish and settle, flushes and hands off
 * the org actors, and leaves the cluster.
 */
public final class TollgateNode {
  private static final Logger log = LoggerFactory.getLogger(TollgateNode.class);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ServerBinding management;
  private final InFlightRequests inFlight;

  private TollgateNode(ActorSystem<Void> system, ServerBinding binding, ServerBinding management, InFlightRequests inFlight) {
    this.system = system;
    this.binding = binding;
    this.management = management;
    this.inFlight = inFlight;
  }

  /**
   * Starts a node. {@code config} holds {@code tollgate.*} and Pekko settings ({@link NodeSettings} was
   * read from it); the database is open and migrated and stays the caller's to close.
   */
  public static TollgateNode start(Config config, NodeSettings settings, Database database, Clock clock) {
    return start(config, settings, database, clock, RequestFaults.NONE);
  }

  /** As above, with faults for tests to inject into requests (see {@link RequestFaults}). */
  public static TollgateNode start(Config config, NodeSettings settings, Database database, Clock clock,
      RequestFaults faults) {
    KamonSetup.ensureStarted(config);
    Config full = PekkoConfig.derive(settings).withFallback(database.journalConfig()).withFallback(config).resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NodeSettings.SYSTEM_NAME, full);
    try {
      if (settings.cluster().seedNodes().isEmpty()) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      Metrics metrics = new Metrics();
      LocalOrgs localOrgs = new LocalOrgs();
      Upstreams upstreams = new Upstreams(system, settings.providers(), clock);
      Pricer pricer = new Pricer(loadCatalog(settings));
      Fallbacks fallbacks = new Fallbacks(upstreams, pricer);
      OrgEntity.initSharding(system, settings.org(), clock, metrics, localOrgs, fallbacks);
      PlanEntity.initSharding(system, settings.admission().timeout(), clock);
      ClusterGauges.start(system, metrics);
      Readiness readiness = new Readiness(system, database);
      readiness.shardingStarted();

      ClusterSharding sharding = ClusterSharding.get(system);
      InFlightRequests inFlight = new InFlightRequests(settings.requests().maxSettling());
      Materializer materializer = Materializer.matFromSystem(system);
      Metering metering = new Metering(pricer, new TokenEstimator(), settings.requests().defaultMaxOutputTokens(), clock);
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      // Two writers: while one transaction commits, the next fills; the pool keeps the rest for the journal.
      GroupCommit writes = new GroupCommit(database.dataSource(), blocking, 2, 256);
      IdempotentAnswers idempotency = new IdempotentAnswers(new IdempotencyStore(), writes, clock,
          settings.records().idempotencyTtl(), settings.records().idempotencyMaxBytes(), settings.org().holdTtl());
      Tracing tracing = Tracing.start(settings.tracing());
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-tracing",
          () -> CompletableFuture.supplyAsync(() -> {
            tracing.close(); // sends the spans still waiting
            return Done.getInstance();
          }));
      ResponseCache cache = new ResponseCache(new ResponseCacheStore(database.dataSource()), blocking, clock,
          settings.records().cacheTtl(), settings.records().cacheMaxBytes());
      system.scheduler().scheduleWithFixedDelay(Duration.ofMinutes(1), Duration.ofMinutes(10), () -> blocking.execute(() -> {
        idempotency.sweep();
        cache.sweep();
      }), system.executionContext());
      RequestDeps deps = new RequestDeps(sharding, upstreams, metering, fallbacks, idempotency, cache,
          new OnceBilling(new BilledOnce(database.dataSource()), blocking, clock),
          new UpstreamExchange(settings.requests().upstreamTimeout(), materializer),
          new AccessLog(settings.requests().accessLog()), metrics,
          settings, clock, materializer, inFlight, localOrgs, faults, tracing);
      KeyHasher hasher = new KeyHasher(settings.keyPepper());
      OrgAdmin admin = new OrgAdmin(sharding, hasher, settings.admission().timeout());
      // Lag is against the journal's write times, which are wall-clock times whatever the node's clock.
      ReadModels.start(system, database.dataSource(), new ProjectionLagGauge(Clock.systemUTC()),
          settings.records().requestLogRetention(), clock);
      WebhookOutbox outbox = new WebhookOutbox(database.dataSource());
      // Attempts are timed against the database's clock (what is due is due by its now()), so the wall clock.
      WebhookSender sender = new WebhookSender(outbox, settings.webhooks().targets(), settings.webhooks().timeout(),
          settings.webhooks().maxInFlight(), blocking, Clock.systemUTC());
      system.scheduler().scheduleWithFixedDelay(settings.webhooks().poll(), settings.webhooks().poll(), sender::poll,
          system.executionContext());
      readiness.webhooks(sender::backlog);
      NoticeClock.start(system, new TimedNotices(database.dataSource()), settings.webhooks().noticesEvery(), clock,
          blocking);
      OpsRoutes ops = new OpsRoutes(readiness);
      var routes = new HttpRoutes(system, new ProxyIntake(system, deps, hasher), new ModelListing(deps, hasher),
          new OutcomeIntake(deps, hasher, admin), ops,
          new AdminRoutes(admin, new PlanAdmin(sharding, settings.admission().timeout()),
              new OrgListing(new OrgDirectory(database.dataSource()), admin, blocking),
              new SpendReport(admin, new SpendQuery(database.dataSource()), blocking, clock),
              new RecordRoutes(admin, database.dataSource(), blocking, clock, settings.records().sessionIdle()),
              new UsageRoutes(admin, new UsageQuery(database.dataSource()), blocking, clock),
              new InvoiceRoutes(admin, new InvoiceQuery(database.dataSource()), blocking, clock),
              new WebhookRoutes(admin, settings.webhooks().targets(), new WebhookDeliveryQuery(database.dataSource()),
                  outbox, blocking, clock),
              // Breakers and lag are against wall-clock times (the journal's write times), whatever the node's clock.
              new OperatorRoutes(system, upstreams, ProjectionProgress.of(system, database.dataSource()), blocking,
                  Clock.systemUTC()),
              new Tokens(settings.adminToken(), new AdminTokens(database.dataSource()), hasher, blocking,
                  Clock.systemUTC()),
              new AuditRoutes(admin, new AuditQuery(database.dataSource()), blocking, clock,
                  metering.pricer().catalog().version()),
              metering.pricer().catalog().version()),
          new CorsPolicy(settings.http().corsOrigins()), clock);

      ServerBinding binding = Http.get(system).newServerAt(settings.http().host(), settings.http().port())
          .bindFlow(KeepAliveTimeout.around(Flow.of(HttpRequest.class).mapAsync(1, routes), settings.http().keepAliveTimeout()))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      ServerBinding management = Http.get(system).newServerAt(settings.management().host(), settings.management().port())
          .bind(ops.management()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      registerShutdown(system, binding, management, inFlight, settings.requests().shutdownDrain(), upstreams, readiness);
      log.atInfo().addKeyValue("http", binding.localAddress()).addKeyValue("management", management.localAddress())
          .addKeyValue("cluster", Cluster.get(system).selfMember().address())
          .addKeyValue("database", database.description()).log("node started");
      return new TollgateNode(system, binding, management, inFlight);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("node failed to start: " + e.getMessage(), e);
    }
  }

  private static void registerShutdown(ActorSystem<Void> system, ServerBinding binding, ServerBinding management,
      InFlightRequests inFlight, Duration drain, Upstreams upstreams, Readiness readiness) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-accepting", () -> binding.unbind().thenApply(d -> Done.getInstance()));
    // Prometheus scrapes a node until it is gone: the management port closes last, with the actor system.
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-management",
        () -> management.terminate(Duration.ofSeconds(1)).thenApply(t -> Done.getInstance()));
    // Streams in flight outlive their response headers, so wait for the requests themselves (each request
    // actor lives until its answer is complete and its usage settled), then close what connections remain.
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "finish-requests", () ->
        CompletableFuture.supplyAsync(() -> {
          try {
            int left = inFlight.awaitNone(drain);
            if (left > 0) {
              log.atWarn().addKeyValue("left", left).log("shutting down with requests still in flight");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Done.getInstance();
        }).thenCompose(done -> binding.terminate(Duration.ofSeconds(1))).thenApply(t -> Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-upstreams", () -> {
      upstreams.close();
      readiness.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  private static PricingCatalog loadCatalog(NodeSettings settings) {
    if (settings.pricingCatalog() == null) {
      return PricingCatalog.bundled();
    }
    try (InputStream in = Files.newInputStream(Path.of(settings.pricingCatalog()))) {
      return PricingCatalog.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pricing catalog " + settings.pricingCatalog(), e);
    }
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public int managementPort() {
    return management.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int requestsInFlight() {
    return inFlight.count();
  }

  /** Runs the graceful shutdown and completes when the node is gone. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .thenCompose(done -> system.getWhenTerminated());
  }

  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }
}
