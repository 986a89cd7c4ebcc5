package io.tollgate.node.config;

import com.typesafe.config.Config;
import io.tollgate.protocol.provider.ForwardingRules;
import io.tollgate.protocol.provider.ProviderId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The upstreams ({@code tollgate.providers}): each provider's base URL and key (or several deployments), Azure's
 * deployment names, the operator's own headers passed to every provider, and how failing upstreams are avoided.
 *
 * @param endpoints each provider's first (or only) upstream
 * @param deployments each configured provider's upstreams: its list, or its one endpoint
 * @param azureDeployments Azure deployment name → the model it serves
 * @param forwardHeaders lower-case header names, or prefixes ending in '*'
 */
public record ProviderSettings(Map<ProviderId, ProviderEndpoint> endpoints,
    Map<ProviderId, List<DeploymentConfig>> deployments, Map<String, String> azureDeployments,
    List<String> forwardHeaders, Resilience resilience) {

  public static ProviderSettings from(Config providers) {
    Map<ProviderId, ProviderEndpoint> endpoints = new EnumMap<>(ProviderId.class);
    Map<ProviderId, List<DeploymentConfig>> deployments = new EnumMap<>(ProviderId.class);
    String azureList = providers.getString("azure.deployment-list").trim();
    boolean azureUpstreams = azureList.startsWith("[");
    for (ProviderId id : ProviderId.values()) {
      Config p = providers.getConfig(id.id());
      String variable = "TOLLGATE_" + id.id().toUpperCase(Locale.ROOT)
          + (id == ProviderId.AZURE ? "_UPSTREAMS" : "_DEPLOYMENTS");
      String list = id == ProviderId.AZURE && azureUpstreams ? azureList : p.getString("upstreams");
      List<DeploymentConfig> listed = DeploymentConfig.parse(id, list, variable);
      ProviderEndpoint single = ProviderEndpoint.of(id, p.getString("base-url"), p.getString("api-key"));
      endpoints.put(id, listed.isEmpty() ? single : listed.get(0).endpoint());
      if (!listed.isEmpty()) {
        deployments.put(id, listed);
      } else if (single.configured()) {
        deployments.put(id, List.of(new DeploymentConfig(id.id(), single, 1)));
      }
    }
    Map<String, String> azureDeployments = new HashMap<>();
    providers.getConfig("azure.deployments").entrySet().forEach(e ->
        azureDeployments.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    if (!azureUpstreams) {
      azureDeployments.putAll(parseDeployments(azureList));
    }
    List<String> forwardHeaders = parseHeaders(providers.getString("forward-headers"));
    return new ProviderSettings(endpoints, Map.copyOf(deployments), Map.copyOf(azureDeployments), forwardHeaders,
        Resilience.from(providers.getConfig("resilience")));
  }

  private static List<String> parseHeaders(String list) {
    List<String> headers = Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty()).toList();
    for (String header : headers) {
      if (!header.matches("[a-z0-9][a-z0-9-]*\\*?") || !ForwardingRules.operatorMayForward(header)) {
        throw new IllegalArgumentException("TOLLGATE_FORWARD_HEADERS: '" + header + "' cannot be forwarded. List header"
            + " names (or prefixes ending in '*') of your own; credentials, hop-by-hop headers, OpenAI-Organization,"
            + " OpenAI-Project, Forwarded, X-Forwarded-* and Tollgate's own headers never go upstream.");
      }
    }
    return headers;
  }

  private static Map<String, String> parseDeployments(String list) {
    Map<String, String> deployments = new HashMap<>();
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

  /** Never the keys. */
  @Override
  public String toString() {
    return deployments.values().toString();
  }
}
