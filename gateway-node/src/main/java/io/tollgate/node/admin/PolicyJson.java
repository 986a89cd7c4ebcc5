package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An org's or key's policy as the admin API reads and writes it (docs/api.md, "Policies"). */
final class PolicyJson {
  private PolicyJson() {}

  /**
   * The policy in force with the fields of {@code json} over it: a field named replaces the one in force, null
   * clears it, a field left out stays.
   */
  static Policy read(JsonNode json, Policy current) {
    if (json == null || !json.isObject()) {
      throw new InvalidRequestException("The body must be a JSON object, e.g. {\"fallbacks\": {\"gpt-4o\": [\"gpt-4o-mini\"]}}.");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("fallbacks")) {
        throw new InvalidRequestException("Unknown policy field '" + name + "'. A policy has 'fallbacks'.");
      }
    }
    Map<String, List<String>> fallbacks = json.has("fallbacks") ? fallbacks(json.get("fallbacks")) : current.fallbacks();
    try {
      return new Policy(fallbacks);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'fallbacks': " + e.getMessage() + ".");
    }
  }

  private static Map<String, List<String>> fallbacks(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("'fallbacks' must be an object from a model pattern (\"gpt-4o\", \"gpt-4o*\","
          + " \"*\") to the models to try in order, e.g. {\"gpt-4o\": [\"gpt-4o-mini\", \"mistral-large-latest\"]}.");
    }
    Map<String, List<String>> byPattern = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isArray()) {
        throw new InvalidRequestException("'fallbacks." + e.getKey() + "' must be a list of model names.");
      }
      List<String> models = new ArrayList<>();
      for (JsonNode m : e.getValue()) {
        if (!m.isTextual()) {
          throw new InvalidRequestException("'fallbacks." + e.getKey() + "' must be a list of model names.");
        }
        models.add(m.asText().trim());
      }
      byPattern.put(e.getKey(), models);
    });
    return byPattern;
  }

  static ObjectNode write(AdminReply.PolicyDescription d) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    if (d.keyId() != null) {
      o.put("key_id", d.keyId());
    }
    ObjectNode fallbacks = o.putObject("fallbacks");
    d.policy().fallbacks().forEach((pattern, models) -> models.forEach(fallbacks.putArray(pattern)::add));
    return o;
  }
}
