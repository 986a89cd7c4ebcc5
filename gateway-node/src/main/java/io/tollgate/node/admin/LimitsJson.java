package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Enforcement;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The limits object of the admin API, the same for an org, a plan, a scope value and a key. */
final class LimitsJson {
  private static final Set<String> COUNTS = Set.of("requests_per_minute", "requests_per_hour", "requests_per_day",
      "tokens_per_minute", "tokens_per_hour", "tokens_per_day", "monthly_requests");
  private static final Set<String> BUDGETS = Set.of("daily_budget_usd", "monthly_budget_usd");

  private LimitsJson() {}

  /** Reads limits; every field optional, absent or null meaning unlimited; an unknown field is refused. */
  static Limits read(JsonNode node) {
    return read(node, true);
  }

  private static Limits read(JsonNode node, boolean withModels) {
    if (node == null || node.isNull()) {
      return Limits.UNLIMITED;
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("'limits' must be an object.");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      boolean known = COUNTS.contains(name) || BUDGETS.contains(name) || name.equals("enforcement")
          || withModels && (name.equals("models") || name.equals("downgrade"));
      if (!known) {
        throw new InvalidRequestException("Unknown limit '" + name + "'. Limits are " + String.join(", ",
            new java.util.TreeSet<>(COUNTS)) + ", daily_budget_usd, monthly_budget_usd, models, enforcement and downgrade.");
      }
    }
    try {
      return new Limits(count(node, "requests_per_minute"), count(node, "tokens_per_minute"),
          count(node, "monthly_requests"), usd(node, "monthly_budget_usd"), count(node, "requests_per_hour"),
          count(node, "requests_per_day"), count(node, "tokens_per_hour"), count(node, "tokens_per_day"),
          usd(node, "daily_budget_usd"), withModels ? models(node.get("models")) : null,
          enforcement(node.get("enforcement")), withModels ? downgrade(node.get("downgrade")) : null);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  /** {@code {"at_percent": 90, "to": "gpt-4o-mini"}}: the cheaper model once a budget is that far spent. */
  private static Limits.Downgrade downgrade(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode at = node.get("at_percent");
    JsonNode to = node.get("to");
    if (!node.isObject() || node.size() != 2 || at == null || !at.canConvertToInt() || !at.isIntegralNumber()
        || to == null || !to.isTextual()) {
      throw new InvalidRequestException("'downgrade' must be {\"at_percent\": <1-100>, \"to\": \"<model>\"}.");
    }
    return new Limits.Downgrade(at.asInt(), to.asText().trim());
  }

  private static Map<String, Limits> models(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("'models' must be an object from a model pattern (\"claude-opus*\") to limits.");
    }
    Map<String, Limits> models = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (e.getValue().has("models")) {
        throw new InvalidRequestException("The limits of model pattern '" + e.getKey() + "' cannot have models.");
      }
      models.put(e.getKey(), read(e.getValue(), false));
    });
    return models;
  }

  private static Enforcement enforcement(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return switch (node.asText("")) {
      case "hard" -> Enforcement.HARD;
      case "soft" -> Enforcement.SOFT;
      case "shadow" -> Enforcement.SHADOW;
      default -> throw new InvalidRequestException("'enforcement' must be \"hard\", \"soft\" or \"shadow\".");
    };
  }

  private static Long count(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new InvalidRequestException("'" + field + "' must be a non-negative integer or null.");
    }
    return value.asLong();
  }

  private static Long usd(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.isTextual() ? value.asText() : value.isNumber() ? value.decimalValue().toPlainString() : null;
    if (text == null) {
      throw new InvalidRequestException("'" + field + "' must be a decimal string in USD, e.g. \"250.00\".");
    }
    long nanos;
    try {
      nanos = Money.parseUsd(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + field + "': " + e.getMessage());
    }
    if (nanos < 0) {
      throw new InvalidRequestException("'" + field + "' cannot be negative.");
    }
    return nanos;
  }

  /** Every limit, null where unlimited; money as decimal USD strings. */
  static ObjectNode write(Limits limits) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    if (limits == null) {
      return o;
    }
    writeFields(o, limits);
    ObjectNode models = o.putObject("models");
    limits.models().forEach((pattern, l) -> writeFields(models.putObject(pattern), l));
    if (limits.downgrade() == null) {
      o.putNull("downgrade");
    } else {
      o.putObject("downgrade").put("at_percent", limits.downgrade().atPercent()).put("to", limits.downgrade().model());
    }
    return o;
  }

  private static void writeFields(ObjectNode o, Limits l) {
    count(o, "requests_per_minute", l.requestsPerMinute());
    count(o, "requests_per_hour", l.requestsPerHour());
    count(o, "requests_per_day", l.requestsPerDay());
    count(o, "tokens_per_minute", l.tokensPerMinute());
    count(o, "tokens_per_hour", l.tokensPerHour());
    count(o, "tokens_per_day", l.tokensPerDay());
    count(o, "monthly_requests", l.monthlyRequests());
    usd(o, "daily_budget_usd", l.dailyBudgetNanos());
    usd(o, "monthly_budget_usd", l.monthlyBudgetNanos());
    if (l.enforcement() == null) {
      o.putNull("enforcement");
    } else {
      o.put("enforcement", l.enforcement().name().toLowerCase(Locale.ROOT));
    }
  }

  private static void count(ObjectNode o, String field, Long value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static void usd(ObjectNode o, String field, Long nanos) {
    if (nanos == null) {
      o.putNull(field);
    } else {
      o.put(field, Money.formatUsd(nanos));
    }
  }
}
