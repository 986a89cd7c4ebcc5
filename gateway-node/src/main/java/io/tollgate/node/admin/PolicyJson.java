package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.PiiMode;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
      if (!name.equals("fallbacks") && !name.equals("pii") && !name.equals("cache")) {
        throw new InvalidRequestException("Unknown policy field '" + name + "'. A policy has 'fallbacks', 'pii' and 'cache'.");
      }
    }
    Map<String, List<String>> fallbacks = json.has("fallbacks") ? fallbacks(json.get("fallbacks")) : current.fallbacks();
    PiiMode pii = json.has("pii") ? pii(json.get("pii")) : current.pii();
    Long cacheTtl = json.has("cache") ? cacheTtl(json.get("cache")) : current.cacheTtlSeconds();
    try {
      return new Policy(fallbacks, pii, cacheTtl);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Invalid policy: " + e.getMessage() + ".");
    }
  }

  /** {@code {"ttl_seconds": 3600}} (0: no cache), or null for none of its own. */
  private static Long cacheTtl(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode ttl = node.get("ttl_seconds");
    if (!node.isObject() || node.size() != 1 || ttl == null || !ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
      throw new InvalidRequestException("'cache' must be {\"ttl_seconds\": <0-" + Policy.MAX_CACHE_TTL_SECONDS
          + ">} (or null).");
    }
    return ttl.asLong();
  }

  /** {@code {"mode": "off" | "redact" | "block"}}, or null for none of its own. */
  private static PiiMode pii(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode mode = node.get("mode");
    if (!node.isObject() || node.size() != 1 || mode == null || !mode.isTextual()) {
      throw new InvalidRequestException("'pii' must be {\"mode\": \"off\" | \"redact\" | \"block\"} (or null).");
    }
    try {
      return PiiMode.valueOf(mode.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'pii.mode' is off, redact or block.");
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
    if (d.policy().pii() == null) {
      o.putNull("pii");
    } else {
      o.putObject("pii").put("mode", d.policy().pii().name().toLowerCase(Locale.ROOT));
    }
    if (d.policy().cacheTtlSeconds() == null) {
      o.putNull("cache");
    } else {
      o.putObject("cache").put("ttl_seconds", d.policy().cacheTtlSeconds());
    }
    return o;
  }
}
