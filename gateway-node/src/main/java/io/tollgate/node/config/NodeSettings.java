package io.tollgate.node.config;

import com.typesafe.config.Config;
import io.tollgate.node.org.OrgSettings;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.protocol.org.SettledReservations;
import io.tollgate.protocol.provider.ForwardingRules;
import io.tollgate.protocol.provider.ProviderId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything a node is configured with, read and checked once at start. */
public record NodeSettings(
    String httpHost,
    int httpPort,
    Duration keepAliveTimeout,
    String managementHost,
    int managementPort,
    String clusterHost,
    int clusterPort,
    List<String> seedNodes,
    DatabaseSettings database,
    Path dataDir,
    String adminToken,
    String keyPepper,
    long maxBodyBytes,
    int maxRequestsInFlight,
    int maxSettling,
    Duration upstreamTimeout,
    Duration admissionTimeout,
    Duration admissionRetryHorizon,
    Duration settleAttemptTimeout,
    Duration settleRetryHorizon,
    long defaultMaxOutputTokens,
    boolean answersWaitForJournal,
    boolean accessLog,
    Duration shutdownDrain,
    String pricingCatalog,
    Map<ProviderId, ProviderEndpoint> providers,
    Map<String, String> azureDeployments,
    List<String> forwardHeaders,
    OrgSettings org) {

  public static final String SYSTEM_NAME = "Tollgate";

  /** Reads {@code tollgate.*}; throws {@link IllegalArgumentException} with an operator-facing message. */
  public static NodeSettings from(Config config) {
    Config t = config.getConfig("tollgate");
    Path dataDir = Path.of(t.getString("data-dir"));
    DatabaseSettings db = new DatabaseSettings(
        blankToNull(t.getString("db.url")), blankToNull(t.getString("db.user")), t.getString("db.password"),
        blankToNull(t.getString("db.schema")), dataDir, t.getInt("db.pool-size"), t.getDuration("db.socket-timeout"));
    Map<ProviderId, ProviderEndpoint> providers = new EnumMap<>(ProviderId.class);
    for (ProviderId id : ProviderId.values()) {
      Config p = t.getConfig("providers." + id.id());
      providers.put(id, ProviderEndpoint.of(id, p.getString("base-url"), p.getString("api-key")));
    }
    Map<String, String> azureDeployments = new java.util.HashMap<>();
    t.getConfig("providers.azure.deployments").entrySet().forEach(e ->
        azureDeployments.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    azureDeployments.putAll(parseDeployments(t.getString("providers.azure.deployment-list")));
    Duration upstreamTimeout = t.getDuration("upstream-timeout");
    Duration horizon = t.getDuration("settle.retry-horizon");
    // An admission may stay unsettled for the upstream call plus the settle retries; then it is abandoned.
    Duration holdTtl = upstreamTimeout.plus(horizon).plusMinutes(1);
    Config o = t.getConfig("org");
    OrgSettings org = new OrgSettings(o.getInt("max-batch"), o.getDuration("flush-delay"), o.getInt("max-unjournaled"),
        o.getDuration("max-journal-lag"),
        holdTtl, o.getDuration("sweep-interval"), o.getInt("snapshot-every"), o.getInt("stash-capacity"),
        o.getDuration("passivate-after"));
    NodeSettings settings = new NodeSettings(
        t.getString("http.host"), t.getInt("http.port"), t.getDuration("http.keep-alive-timeout"), t.getString("management.host"), t.getInt("management.port"),
        t.getString("cluster.host"), t.getInt("cluster.port"), parseSeeds(t.getString("cluster.seed-nodes")),
        db, dataDir, blankToNull(t.getString("admin-token")), blankToNull(t.getString("key-pepper")),
        t.getBytes("max-body-bytes"), t.getInt("max-requests-in-flight"), t.getInt("max-settling"), upstreamTimeout, t.getDuration("admission-timeout"),
        t.getDuration("admission-retry-horizon"), t.getDuration("settle.attempt-timeout"), horizon, t.getLong("default-max-output-tokens"),
        t.getBoolean("answers-wait-for-journal"), t.getBoolean("access-log"), t.getDuration("shutdown-drain"), blankToNull(t.getString("pricing-catalog")),
        providers, Map.copyOf(azureDeployments), parseList(t.getString("forward-headers")), org);
    settings.validate();
    return settings;
  }

  /** True when this node is told to join nodes other than itself. */
  public boolean joinsOthers() {
    String self = clusterHost + ":" + clusterPort;
    return seedNodes.stream().anyMatch(seed -> !seed.equals(self));
  }

  public NodeSettings withSecrets(String token, String pepper) {
    return new NodeSettings(httpHost, httpPort, keepAliveTimeout, managementHost, managementPort, clusterHost, clusterPort, seedNodes, database, dataDir, token, pepper,
        maxBodyBytes, maxRequestsInFlight, maxSettling, upstreamTimeout, admissionTimeout, admissionRetryHorizon, settleAttemptTimeout, settleRetryHorizon, defaultMaxOutputTokens,
        answersWaitForJournal, accessLog, shutdownDrain, pricingCatalog, providers, azureDeployments, forwardHeaders, org);
  }

  private void validate() {
    if (database.embedded() && joinsOthers()) {
      throw new IllegalArgumentException("This node is told to join a cluster (TOLLGATE_SEED_NODES=" + String.join(",", seedNodes)
          + ") but has no TOLLGATE_DB_URL: the embedded PostgreSQL serves one node only. Point every node of the"
          + " cluster at the same PostgreSQL server with TOLLGATE_DB_URL.");
    }
    if (joinsOthers() && (adminToken == null || keyPepper == null)) {
      throw new IllegalArgumentException("Nodes of a cluster must share their secrets: set TOLLGATE_ADMIN_TOKEN and"
          + " TOLLGATE_KEY_PEPPER (each at least 16 characters) to the same values on every node.");
    }
    if (keyPepper != null && keyPepper.length() < 16) {
      throw new IllegalArgumentException("TOLLGATE_KEY_PEPPER must be at least 16 characters.");
    }
    if (adminToken != null && adminToken.length() < 16) {
      throw new IllegalArgumentException("TOLLGATE_ADMIN_TOKEN must be at least 16 characters.");
    }
    if (org.holdTtl().compareTo(SettledReservations.RETENTION) >= 0) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_TIMEOUT plus the settle retry horizon must stay under "
          + SettledReservations.RETENTION.toMinutes() + " minutes, the time settled requests are remembered.");
    }
    if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("TOLLGATE_MAX_BODY_BYTES must be between 1 and 2 GiB.");
    }
    if (admissionRetryHorizon.isNegative()) {
      throw new IllegalArgumentException("TOLLGATE_ADMISSION_RETRY_HORIZON must not be negative (0 asks the org once).");
    }
    if (org.passivateAfter().compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_ORG_PASSIVATE_AFTER must be at least 1s.");
    }
    if (org.maxBatch() < 1 || org.maxUnjournaled() < org.maxBatch() || org.snapshotEvery() < 1 || org.stashCapacity() < 1) {
      throw new IllegalArgumentException("TOLLGATE_ORG_MAX_BATCH, TOLLGATE_ORG_SNAPSHOT_EVERY and TOLLGATE_ORG_STASH_CAPACITY"
          + " must be at least 1, and TOLLGATE_ORG_MAX_UNJOURNALED at least TOLLGATE_ORG_MAX_BATCH.");
    }
    if (maxSettling < 1) {
      throw new IllegalArgumentException("TOLLGATE_MAX_SETTLING must be at least 1.");
    }
    for (String header : forwardHeaders) {
      if (!header.matches("[a-z0-9][a-z0-9-]*\\*?") || !ForwardingRules.operatorMayForward(header)) {
        throw new IllegalArgumentException("TOLLGATE_FORWARD_HEADERS: '" + header + "' cannot be forwarded. List header"
            + " names (or prefixes ending in '*') of your own; credentials, hop-by-hop headers, OpenAI-Organization,"
            + " OpenAI-Project, Forwarded, X-Forwarded-* and Tollgate's own headers never go upstream.");
      }
    }
    if (keepAliveTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_KEEP_ALIVE_TIMEOUT must be at least 1s.");
    }
    if (managementPort == httpPort && managementPort != 0 && managementHost.equals(httpHost)) {
      throw new IllegalArgumentException("TOLLGATE_MANAGEMENT_PORT must differ from TOLLGATE_HTTP_PORT: metrics are"
          + " served apart from the proxy, so that clients of the proxy cannot read them.");
    }
  }

  private static List<String> parseSeeds(String seeds) {
    return Arrays.stream(seeds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(seed -> {
      if (!seed.matches("[^:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("TOLLGATE_SEED_NODES entries must be host:port, got '" + seed + "'");
      }
      return seed;
    }).toList();
  }

  private static List<String> parseList(String list) {
    return Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(s -> !s.isEmpty()).toList();
  }

  private static Map<String, String> parseDeployments(String list) {
    Map<String, String> deployments = new java.util.HashMap<>();
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "TOLLGATE_AZURE_DEPLOYMENTS entries must be deployment=model, got '" + entry.trim() + "'");
      }
      deployments.put(parts[0].trim(), parts[1].trim());
    }
    return deployments;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Never the secrets. */
  @Override
  public String toString() {
    return "NodeSettings[http=" + httpHost + ":" + httpPort + ", management=" + managementHost + ":" + managementPort
        + ", cluster=" + clusterHost + ":" + clusterPort
        + ", seeds=" + seedNodes + ", providers=" + providers.values() + "]";
  }
}
