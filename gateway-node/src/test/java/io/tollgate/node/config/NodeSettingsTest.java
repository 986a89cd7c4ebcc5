package io.tollgate.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tollgate.protocol.provider.ProviderId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {

  /** The node's configuration as it would be read with these environment variables set. */
  private static NodeSettings withEnvironment(Map<String, String> env) {
    // ${?TOLLGATE_X} resolves against the root first, then the real environment: put the variables at the root.
    Config config = ConfigFactory.parseMap(env).withFallback(ConfigFactory.parseResources("application.conf")).resolve();
    return NodeSettings.from(config);
  }

  @Test
  void defaultsAreThoseTheReadmePromises() {
    NodeSettings s = withEnvironment(Map.of());
    assertEquals("127.0.0.1", s.http().host());
    assertEquals(8080, s.http().port());
    assertEquals(25520, s.cluster().port());
    assertEquals(List.of(), s.cluster().seedNodes());
    assertTrue(s.database().embedded());
    assertEquals(Path.of("./tollgate-data"), s.dataDir());
    assertEquals(10_485_760, s.requests().maxBodyBytes());
    assertEquals(Duration.ofSeconds(600), s.requests().upstreamTimeout());
    assertEquals(Duration.ofSeconds(75), s.http().keepAliveTimeout());
    assertNull(s.adminToken());
    assertEquals(Duration.ofDays(400), s.records().requestLogRetention());
    assertEquals(Duration.ofMinutes(30), s.records().sessionIdle());
    assertTrue(s.records().readModels(), "every node may run the projections");
    assertEquals(List.of("read-models"), PekkoConfig.derive(s).getStringList("pekko.cluster.roles"));
    ProviderEndpoint openai = s.providers().endpoints().get(ProviderId.OPENAI);
    assertEquals("api.openai.com", openai.host());
    assertEquals("/v1", openai.basePath());
    assertTrue(openai.https());
    assertFalse(openai.configured(), "no key and the public URL: not set up");
  }

  @Test
  void everyOperatorSettingHasAnEnvironmentOverride() {
    NodeSettings s = withEnvironment(Map.ofEntries(
        Map.entry("TOLLGATE_HTTP_HOST", "0.0.0.0"), Map.entry("TOLLGATE_HTTP_PORT", "9000"),
        Map.entry("TOLLGATE_CLUSTER_HOST", "10.0.0.5"), Map.entry("TOLLGATE_CLUSTER_PORT", "25600"),
        Map.entry("TOLLGATE_SEED_NODES", "10.0.0.5:25600, 10.0.0.6:25600"),
        Map.entry("TOLLGATE_DB_URL", "jdbc:postgresql://db:5432/tollgate"), Map.entry("TOLLGATE_DB_USER", "tg"),
        Map.entry("TOLLGATE_DB_PASSWORD", "pw"), Map.entry("TOLLGATE_DB_SCHEMA", "gateway"),
        Map.entry("TOLLGATE_DATA_DIR", "/var/lib/tollgate"),
        Map.entry("TOLLGATE_ADMIN_TOKEN", "admin-token-0123456789"), Map.entry("TOLLGATE_KEY_PEPPER", "pepper-0123456789abc"),
        Map.entry("TOLLGATE_OPENAI_BASE_URL", "http://127.0.0.1:9090/v1"), Map.entry("TOLLGATE_OPENAI_API_KEY", "sk-x"),
        Map.entry("TOLLGATE_MAX_BODY_BYTES", "2048"), Map.entry("TOLLGATE_UPSTREAM_TIMEOUT", "90s"),
        Map.entry("TOLLGATE_KEEP_ALIVE_TIMEOUT", "20s"),
        Map.entry("TOLLGATE_ADMISSION_TIMEOUT", "2s"), Map.entry("TOLLGATE_ACCESS_LOG", "off"),
        Map.entry("TOLLGATE_ORG_PASSIVATE_AFTER", "5m"),
        Map.entry("TOLLGATE_SETTLE_ATTEMPT_TIMEOUT", "3s"), Map.entry("TOLLGATE_SETTLE_RETRY_HORIZON", "2m"),
        Map.entry("TOLLGATE_ORG_MAX_BATCH", "500"), Map.entry("TOLLGATE_ORG_FLUSH_DELAY", "2ms"),
        Map.entry("TOLLGATE_ORG_MAX_UNJOURNALED", "9000"), Map.entry("TOLLGATE_ORG_SWEEP_INTERVAL", "10s"),
        Map.entry("TOLLGATE_ORG_SNAPSHOT_EVERY", "50"), Map.entry("TOLLGATE_ORG_STASH_CAPACITY", "700"),
        Map.entry("TOLLGATE_ANTHROPIC_API_KEY", "sk-ant-x"),
        Map.entry("TOLLGATE_AZURE_BASE_URL", "https://acme.openai.azure.com"), Map.entry("TOLLGATE_AZURE_API_KEY", "az-x"),
        Map.entry("TOLLGATE_AZURE_DEPLOYMENTS", "prod=gpt-4o, cheap=gpt-4o-mini"),
        Map.entry("TOLLGATE_PRICING_CATALOG", "/etc/tollgate/prices.json"),
        Map.entry("TOLLGATE_MANAGEMENT_HOST", "0.0.0.0"), Map.entry("TOLLGATE_MANAGEMENT_PORT", "9100"),
        Map.entry("TOLLGATE_DB_POOL_SIZE", "12"), Map.entry("TOLLGATE_DB_SOCKET_TIMEOUT", "45s"),
        Map.entry("TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "800"), Map.entry("TOLLGATE_MAX_SETTLING", "90"),
        Map.entry("TOLLGATE_DEFAULT_MAX_OUTPUT_TOKENS", "1024"), Map.entry("TOLLGATE_ANSWERS_WAIT_FOR_JOURNAL", "on"),
        Map.entry("TOLLGATE_SHUTDOWN_DRAIN", "12s"), Map.entry("TOLLGATE_ADMISSION_RETRY_HORIZON", "40s"),
        Map.entry("TOLLGATE_MAX_JOURNAL_LAG", "7s"), Map.entry("TOLLGATE_REQUEST_LOG_RETENTION", "90d"),
        Map.entry("TOLLGATE_SESSION_IDLE", "5m"), Map.entry("TOLLGATE_READ_MODELS", "off")));
    assertEquals("0.0.0.0", s.http().host());
    assertEquals(9000, s.http().port());
    assertEquals("10.0.0.5", s.cluster().host());
    assertEquals(25600, s.cluster().port());
    assertEquals(List.of("10.0.0.5:25600", "10.0.0.6:25600"), s.cluster().seedNodes());
    assertEquals("jdbc:postgresql://db:5432/tollgate", s.database().url());
    assertEquals("tg", s.database().user());
    assertEquals("pw", s.database().password());
    assertEquals("gateway", s.database().schema());
    assertEquals(Path.of("/var/lib/tollgate"), s.dataDir());
    assertEquals("admin-token-0123456789", s.adminToken());
    assertEquals("pepper-0123456789abc", s.keyPepper());
    ProviderEndpoint openai = s.providers().endpoints().get(ProviderId.OPENAI);
    assertEquals(9090, openai.port());
    assertEquals("sk-x", openai.apiKey());
    assertTrue(openai.configured());
    assertEquals(2048, s.requests().maxBodyBytes());
    assertEquals(Duration.ofSeconds(90), s.requests().upstreamTimeout());
    assertEquals(Duration.ofSeconds(20), s.http().keepAliveTimeout());
    assertEquals(Duration.ofSeconds(2), s.admission().timeout());
    assertFalse(s.requests().accessLog());
    assertEquals(Duration.ofMinutes(5), s.org().passivateAfter());
    assertEquals(Duration.ofSeconds(3), s.settle().attemptTimeout());
    assertEquals(Duration.ofMinutes(2), s.settle().retryHorizon());
    assertEquals(500, s.org().maxBatch());
    assertEquals(Duration.ofMillis(2), s.org().flushDelay());
    assertEquals(9000, s.org().maxUnjournaled());
    assertEquals(Duration.ofSeconds(10), s.org().sweepInterval());
    assertEquals(50, s.org().snapshotEvery());
    assertEquals(700, s.org().stashCapacity());
    assertEquals("sk-ant-x", s.providers().endpoints().get(ProviderId.ANTHROPIC).apiKey());
    assertTrue(s.providers().endpoints().get(ProviderId.ANTHROPIC).configured());
    assertEquals("acme.openai.azure.com", s.providers().endpoints().get(ProviderId.AZURE).host());
    assertEquals(Map.of("prod", "gpt-4o", "cheap", "gpt-4o-mini"), s.providers().azureDeployments());
    assertEquals("/etc/tollgate/prices.json", s.pricingCatalog());
    assertFalse(s.providers().endpoints().get(ProviderId.GEMINI).configured());
    assertEquals("0.0.0.0", s.management().host());
    assertEquals(9100, s.management().port());
    assertEquals(12, s.database().poolSize());
    assertEquals(Duration.ofSeconds(45), s.database().socketTimeout());
    assertEquals(800, s.requests().maxInFlight());
    assertEquals(90, s.requests().maxSettling());
    assertEquals(1024, s.requests().defaultMaxOutputTokens());
    assertTrue(s.requests().answersWaitForJournal());
    assertEquals(Duration.ofSeconds(12), s.requests().shutdownDrain());
    assertEquals(Duration.ofSeconds(40), s.admission().retryHorizon());
    assertEquals(Duration.ofSeconds(7), s.org().maxJournalLag());
    assertEquals(Duration.ofDays(90), s.records().requestLogRetention());
    assertEquals(Duration.ofMinutes(5), s.records().sessionIdle());
    assertFalse(s.records().readModels());
    assertEquals(List.of(), PekkoConfig.derive(s).getStringList("pekko.cluster.roles"), "a node that only serves");
    assertFalse(s.toString().contains("sk-x") || s.toString().contains("pepper") || s.toString().contains("pw"),
        "settings print without secrets: " + s);

    Config pekko = PekkoConfig.derive(s);
    assertEquals(List.of("pekko://Tollgate@10.0.0.5:25600", "pekko://Tollgate@10.0.0.6:25600"),
        pekko.getStringList("pekko.cluster.seed-nodes"));
    assertTrue(pekko.getDuration("pekko.http.server.request-timeout").compareTo(s.requests().upstreamTimeout()) > 0);
    assertEquals("none", pekko.getString("pekko.cluster.sharding.passivation.strategy"), "orgs passivate themselves");
  }

  @Test
  void everySettingOfTollgateHasAnEnvironmentOverride() {
    Config unresolved = ConfigFactory.parseResources("application.conf");
    Config defaults = unresolved.resolve().getConfig("tollgate");
    assertTrue(defaults.entrySet().size() > 50, "every include was read");
    for (Map.Entry<String, ?> setting : defaults.entrySet()) {
      String path = "tollgate." + setting.getKey();
      // A setting followed by "= ${?TOLLGATE_...}" cannot be read before it is resolved; a plain value can.
      assertThrows(ConfigException.NotResolved.class, () -> unresolved.getValue(path), path + " has no override");
    }
  }

  @Test
  void secretsNeverPrint() {
    NodeSettings s = withEnvironment(Map.of("TOLLGATE_DB_URL", "jdbc:postgresql://db/tg?password=hunter2-secret",
        "TOLLGATE_DB_PASSWORD", "pw-secret", "TOLLGATE_OPENAI_API_KEY", "sk-secret"));
    String printed = s + " " + s.database() + " " + s.providers();
    assertFalse(printed.contains("secret"), printed);
    assertTrue(printed.contains("jdbc:postgresql://db/tg"), printed);
  }

  @Test
  void aNodeToldToJoinOthersOnAnEmbeddedDatabaseRefusesToStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withEnvironment(Map.of("TOLLGATE_SEED_NODES", "10.0.0.9:25520")));
    assertTrue(e.getMessage().contains("TOLLGATE_DB_URL"), e.getMessage());
  }

  @Test
  void clusterNodesMustShareTheirSecrets() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of(
        "TOLLGATE_SEED_NODES", "10.0.0.9:25520", "TOLLGATE_DB_URL", "jdbc:postgresql://db/tg")));
    assertTrue(e.getMessage().contains("TOLLGATE_KEY_PEPPER"), e.getMessage());
  }

  @Test
  void badValuesAreRefusedWithTheVariableNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_SEED_NODES", "nohost")))
        .getMessage().contains("TOLLGATE_SEED_NODES"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_UPSTREAM_TIMEOUT", "2h")))
        .getMessage().contains("TOLLGATE_UPSTREAM_TIMEOUT"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_ORG_MAX_BATCH", "0")))
        .getMessage().contains("TOLLGATE_ORG_MAX_BATCH"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_KEEP_ALIVE_TIMEOUT", "0s")))
        .getMessage().contains("TOLLGATE_KEEP_ALIVE_TIMEOUT"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_REQUEST_LOG_RETENTION",
        "7d"))).getMessage().contains("TOLLGATE_REQUEST_LOG_RETENTION"));
    assertEquals("TOLLGATE_READ_MODELS must be on or off, not 'sometimes'.", assertThrows(IllegalArgumentException.class,
        () -> withEnvironment(Map.of("TOLLGATE_READ_MODELS", "sometimes"))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_KEY_PEPPER", "short")))
        .getMessage().contains("TOLLGATE_KEY_PEPPER"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> withEnvironment(Map.of("TOLLGATE_AZURE_DEPLOYMENTS", "prod:gpt-4o"))).getMessage().contains("TOLLGATE_AZURE_DEPLOYMENTS"));
    for (String header : new String[] {"openai-organization", "x-forwarded-*", "authorization"}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_FORWARD_HEADERS",
          "x-mine," + header))).getMessage().contains("'" + header + "' cannot be forwarded"), header);
    }
    assertEquals(java.util.List.of("x-mine", "x-trace-*"),
        withEnvironment(Map.of("TOLLGATE_FORWARD_HEADERS", "X-Mine, x-trace-*")).providers().forwardHeaders());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_CORS_ORIGINS",
        "https://app.example.com/path"))).getMessage().contains("TOLLGATE_CORS_ORIGINS"));
    assertEquals(java.util.List.of("https://app.example.com", "http://localhost:3000"), withEnvironment(Map.of(
        "TOLLGATE_CORS_ORIGINS", "https://app.example.com, http://localhost:3000")).http().corsOrigins());
    assertEquals(java.util.List.of(), withEnvironment(Map.of()).http().corsOrigins(), "none by default");
  }

  @Test
  void aKeyThatMovedIntoASectionIsRefusedWithItsNewPlace() {
    Config old = ConfigFactory.parseString("tollgate.upstream-timeout = 30s")
        .withFallback(ConfigFactory.parseResources("application.conf")).resolve();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeSettings.from(old));
    assertEquals("tollgate.upstream-timeout is now tollgate.requests.upstream-timeout (the environment variables are"
        + " unchanged).", e.getMessage());
  }

  @Test
  void secretsAreGeneratedOnceAndKeptInTheDataFolder(@TempDir Path dir) {
    NodeSettings s = withEnvironment(Map.of("TOLLGATE_DATA_DIR", dir.toString()));
    NodeSecrets.Resolved first = NodeSecrets.resolve(s);
    NodeSecrets.Resolved second = NodeSecrets.resolve(s);
    assertTrue(first.adminTokenCreated(), "printed when made");
    assertFalse(second.adminTokenCreated(), "and not on every start after");
    assertTrue(first.settings().adminToken().length() >= 32);
    assertEquals(first.settings().adminToken(), second.settings().adminToken());
    assertEquals(first.settings().keyPepper(), second.settings().keyPepper());
    NodeSecrets.Resolved given = NodeSecrets.resolve(withEnvironment(Map.of("TOLLGATE_DATA_DIR", dir.toString(),
        "TOLLGATE_ADMIN_TOKEN", "admin-token-0123456789")));
    assertFalse(given.adminTokenCreated());
    assertEquals("admin-token-0123456789", given.settings().adminToken());
  }

  @Test
  void aProviderMayHaveSeveralDeploymentsEachWithItsKeyAndWeight() {
    NodeSettings s = withEnvironment(Map.of(
        "TOLLGATE_OPENAI_DEPLOYMENTS", "[{\"base_url\": \"https://eu.example.com/v1\", \"api_key\": \"sk-eu\", \"weight\": 2},"
            + " {\"name\": \"us\", \"base_url\": \"https://us.example.com/v1\", \"api_key\": \"sk-us\"}]",
        "TOLLGATE_AZURE_DEPLOYMENTS", "[{\"base_url\": \"https://acme-se.openai.azure.com\", \"api_key\": \"k\"}]",
        "TOLLGATE_UPSTREAM_RETRIES", "1", "TOLLGATE_UPSTREAM_BREAKER_OPEN", "45s"));
    List<DeploymentConfig> openai = s.providers().deployments().get(ProviderId.OPENAI);
    assertEquals(List.of("openai-1", "us"), openai.stream().map(DeploymentConfig::name).toList());
    assertEquals(2, openai.get(0).weight());
    assertEquals("sk-us", openai.get(1).endpoint().apiKey());
    assertEquals("eu.example.com", s.providers().endpoints().get(ProviderId.OPENAI).host(), "the first is the endpoint");
    assertEquals("acme-se.openai.azure.com", s.providers().deployments().get(ProviderId.AZURE).get(0).endpoint().host(),
        "Azure's list told apart from its deployment names by its '['");
    assertEquals(Map.of(), s.providers().azureDeployments());
    assertFalse(s.providers().deployments().containsKey(ProviderId.GEMINI), "not configured: no deployment");
    assertFalse(s.providers().toString().contains("sk-"), "never the keys");
    assertEquals(1, s.providers().resilience().retries());
    assertEquals(Duration.ofSeconds(45), s.providers().resilience().breakerOpen());

    IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of(
        "TOLLGATE_OPENAI_DEPLOYMENTS", "[{\"api_key\": \"sk\"}]")));
    assertTrue(noUrl.getMessage().contains("TOLLGATE_OPENAI_DEPLOYMENTS, deployment 1"), noUrl.getMessage());
    assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_GROQ_DEPLOYMENTS",
        "[{\"base_url\": \"https://a.example\", \"weight\": 0}]")));
    assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_GROQ_DEPLOYMENTS", "not json")));
    assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of("TOLLGATE_UPSTREAM_RETRIES", "9")));
  }
}
