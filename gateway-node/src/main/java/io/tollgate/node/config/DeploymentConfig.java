package io.tollgate.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.protocol.provider.ProviderId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One upstream of a provider as the operator configured it: a name (for the admin view and the logs), where it
 * is with its key, and its share of the traffic.
 */
public record DeploymentConfig(String name, ProviderEndpoint endpoint, int weight) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Never the key. */
  @Override
  public String toString() {
    return name + "=" + endpoint + " weight " + weight;
  }

  /**
   * {@code TOLLGATE_<PROVIDER>_DEPLOYMENTS}: a JSON list of {@code {"base_url", "api_key", "weight", "name"}};
   * empty for none. {@code variable} names the setting in errors.
   */
  static List<DeploymentConfig> parse(ProviderId provider, String json, String variable) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    JsonNode list;
    try {
      list = JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(variable + " must be a JSON list of {\"base_url\", \"api_key\", \"weight\"}: "
          + "it is not JSON.");
    }
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(variable + " must be a non-empty JSON list of {\"base_url\", \"api_key\", "
          + "\"weight\"}.");
    }
    List<DeploymentConfig> deployments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode d = list.get(i);
      String where = variable + ", deployment " + (i + 1);
      if (!d.isObject() || !d.path("base_url").isTextual()) {
        throw new IllegalArgumentException(where + ": needs a \"base_url\" (and, unless the upstream needs none, an"
            + " \"api_key\").");
      }
      int weight = d.has("weight") ? d.get("weight").asInt(-1) : 1;
      if (weight < 1 || weight > 1000 || d.has("weight") && !d.get("weight").isIntegralNumber()) {
        throw new IllegalArgumentException(where + ": \"weight\" must be a whole number from 1 to 1000.");
      }
      String name = d.path("name").isTextual() ? d.get("name").asText()
          : provider.id() + "-" + (i + 1);
      if (!name.matches("[A-Za-z0-9._-]{1,64}") || !names.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(where + ": \"name\" must be unique, letters, digits, '.', '_' or '-'.");
      }
      ProviderEndpoint endpoint;
      try {
        endpoint = ProviderEndpoint.of(provider, d.get("base_url").asText(), d.path("api_key").asText(null));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      deployments.add(new DeploymentConfig(name, endpoint, weight));
    }
    return List.copyOf(deployments);
  }
}
