package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;

/**
 * How this node reaches the others ({@code tollgate.cluster}).
 *
 * @param seedNodes host:port of the seed nodes; empty, the node forms a cluster of its own
 */
public record ClusterSettings(String host, int port, List<String> seedNodes) {
  public static ClusterSettings from(Config cluster) {
    return new ClusterSettings(cluster.getString("host"), cluster.getInt("port"), parseSeeds(cluster.getString("seed-nodes")));
  }

  /** True when this node is told to join nodes other than itself. */
  public boolean joinsOthers() {
    String self = host + ":" + port;
    return seedNodes.stream().anyMatch(seed -> !seed.equals(self));
  }

  private static List<String> parseSeeds(String seeds) {
    return Arrays.stream(seeds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(seed -> {
      if (!seed.matches("[^:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("TOLLGATE_SEED_NODES entries must be host:port, got '" + seed + "'");
      }
      return seed;
    }).toList();
  }
}
