package io.tollgate.node.config;

import com.typesafe.config.Config;
import io.tollgate.node.org.OrgSettings;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.protocol.org.SettledReservations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a node is configured with, read and checked once at start: one record per section of
 * {@code tollgate.*} (each file of {@code application.conf}'s includes), and the checks that span sections.
 *
 * @param adminToken null until {@link NodeSecrets} fills it in (from the data folder)
 * @param keyPepper null until {@link NodeSecrets} fills it in
 * @param pricingCatalog a catalog file in Tollgate's format, or null for the catalog bundled in the jar
 */
public record NodeSettings(
    HttpSettings http,
    ManagementSettings management,
    ClusterSettings cluster,
    DatabaseSettings database,
    Path dataDir,
    String adminToken,
    String keyPepper,
    RequestSettings requests,
    AdmissionSettings admission,
    SettleSettings settle,
    ProviderSettings providers,
    String pricingCatalog,
    OrgSettings org,
    RecordSettings records,
    WebhookSettings webhooks,
    TracingSettings tracing) {

  public static final String SYSTEM_NAME = "Tollgate";

  /** Keys that moved into a section of their own; a file of the operator's that sets one is told where it went. */
  private static final Map<String, String> MOVED = new TreeMap<>(Map.ofEntries(
      Map.entry("max-body-bytes", "requests.max-body-bytes"), Map.entry("upstream-timeout", "requests.upstream-timeout"),
      Map.entry("max-requests-in-flight", "requests.max-in-flight"), Map.entry("max-settling", "requests.max-settling"),
      Map.entry("default-max-output-tokens", "requests.default-max-output-tokens"),
      Map.entry("answers-wait-for-journal", "requests.answers-wait-for-journal"),
      Map.entry("access-log", "requests.access-log"), Map.entry("shutdown-drain", "requests.shutdown-drain"),
      Map.entry("admission-timeout", "admission.timeout"), Map.entry("admission-retry-horizon", "admission.retry-horizon"),
      Map.entry("forward-headers", "providers.forward-headers"), Map.entry("pricing-catalog", "pricing.catalog")));

  /** Reads {@code tollgate.*}; throws {@link IllegalArgumentException} with an operator-facing message. */
  public static NodeSettings from(Config config) {
    Config t = config.getConfig("tollgate");
    refuseMoved(t);
    Path dataDir = Path.of(t.getString("data-dir"));
    RequestSettings requests = RequestSettings.from(t.getConfig("requests"));
    SettleSettings settle = SettleSettings.from(t.getConfig("settle"));
    // An admission may stay unsettled for the upstream call plus the settle retries; then it is abandoned.
    Duration holdTtl = requests.upstreamTimeout().plus(settle.retryHorizon()).plusMinutes(1);
    NodeSettings settings = new NodeSettings(
        HttpSettings.from(t.getConfig("http")), ManagementSettings.from(t.getConfig("management")),
        ClusterSettings.from(t.getConfig("cluster")), DatabaseSettings.from(t.getConfig("db"), dataDir), dataDir,
        blankToNull(t.getString("admin-token")), blankToNull(t.getString("key-pepper")),
        requests, AdmissionSettings.from(t.getConfig("admission")), settle, ProviderSettings.from(t.getConfig("providers")),
        blankToNull(t.getString("pricing.catalog")), OrgSettings.from(t.getConfig("org"), holdTtl),
        RecordSettings.from(t.getConfig("records")), WebhookSettings.from(t.getConfig("webhooks")),
        TracingSettings.from(t.getConfig("tracing")));
    settings.validate();
    return settings;
  }

  public NodeSettings withSecrets(String token, String pepper) {
    return new NodeSettings(http, management, cluster, database, dataDir, token, pepper, requests, admission, settle,
        providers, pricingCatalog, org, records, webhooks, tracing);
  }

  private void validate() {
    if (database.embedded() && cluster.joinsOthers()) {
      throw new IllegalArgumentException("This node is told to join a cluster (TOLLGATE_SEED_NODES="
          + String.join(",", cluster.seedNodes()) + ") but has no TOLLGATE_DB_URL: the embedded PostgreSQL serves one"
          + " node only. Point every node of the cluster at the same PostgreSQL server with TOLLGATE_DB_URL.");
    }
    if (cluster.joinsOthers() && (adminToken == null || keyPepper == null)) {
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
    if (management.port() == http.port() && management.port() != 0 && management.host().equals(http.host())) {
      throw new IllegalArgumentException("TOLLGATE_MANAGEMENT_PORT must differ from TOLLGATE_HTTP_PORT: metrics are"
          + " served apart from the proxy, so that clients of the proxy cannot read them.");
    }
  }

  private static void refuseMoved(Config t) {
    MOVED.forEach((old, now) -> {
      if (t.hasPath(old)) {
        throw new IllegalArgumentException("tollgate." + old + " is now tollgate." + now
            + " (the environment variables are unchanged).");
      }
    });
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Never the secrets. */
  @Override
  public String toString() {
    return "NodeSettings[http=" + http.host() + ":" + http.port() + ", management=" + management.host() + ":"
        + management.port() + ", cluster=" + cluster.host() + ":" + cluster.port() + ", seeds=" + cluster.seedNodes()
        + ", providers=" + providers + "]";
  }
}
