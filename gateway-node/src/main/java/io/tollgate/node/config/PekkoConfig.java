package io.tollgate.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Pekko settings that follow from a node's settings and cannot be written as plain HOCON. */
public final class PekkoConfig {
  private PekkoConfig() {}

  public static Config derive(NodeSettings settings) {
    Map<String, Object> values = new HashMap<>();
    values.put("pekko.remote.artery.canonical.hostname", settings.cluster().host());
    values.put("pekko.remote.artery.canonical.port", settings.cluster().port());
    List<String> seeds = settings.cluster().seedNodes().stream()
        .map(hostPort -> "pekko://" + NodeSettings.SYSTEM_NAME + "@" + hostPort).toList();
    values.put("pekko.cluster.seed-nodes", seeds);
    values.put("pekko.cluster.roles", settings.records().readModels() ? List.of(RecordSettings.READ_MODELS) : List.of());
    // The server must not cut a request the gateway is still allowed to wait for (its org, then upstream),
    // and a connection may stay silent as long as either wait: an org that moves, a reasoning model thinking.
    Duration admissionWait = settings.admission().longestWait();
    long requestTimeoutMs = admissionWait.plus(settings.requests().upstreamTimeout()).plusSeconds(10).toMillis();
    String upstream = settings.requests().upstreamTimeout().toMillis() + "ms";
    values.put("pekko.http.server.request-timeout", requestTimeoutMs + "ms");
    values.put("pekko.http.server.idle-timeout", max(settings.requests().upstreamTimeout(), admissionWait).toMillis() + "ms");
    values.put("pekko.http.client.idle-timeout", upstream);
    values.put("pekko.http.host-connection-pool.client.idle-timeout", upstream);
    values.put("pekko.coordinated-shutdown.phases.service-requests-done.timeout",
        settings.requests().shutdownDrain().plusSeconds(5).toMillis() + "ms");
    // Org actors passivate themselves (OrgEntity): most of their commands bypass sharding, which would
    // otherwise take a busy org for an idle one.
    values.put("pekko.cluster.sharding.passivation.strategy", "none");
    return ConfigFactory.parseMap(values);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
