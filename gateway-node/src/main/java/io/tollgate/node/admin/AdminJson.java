package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.projection.DailyUsage;
import io.tollgate.persistence.query.SpendQuery;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.KeyInfo;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MonthTotals;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.pricing.ModelPrice;
import io.tollgate.protocol.pricing.TollgateFormat;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The admin API's JSON: snake_case fields, money as decimal USD strings, times as ISO-8601 UTC. Reading
 * keeps decimals exact (a budget given as a JSON number is read as a decimal, never a double).
 */
public final class AdminJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private AdminJson() {}

  /** The body as an object whose every name and text is safe ({@link SafeText}): what is refused here goes nowhere. */
  static JsonNode parse(String body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidRequestException("The body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("The body must be a JSON object.");
    }
    requireSafeText(node);
    return node;
  }

  private static void requireSafeText(JsonNode node) {
    if (node.isTextual() && !SafeText.isSafe(node.asText())) {
      throw new InvalidRequestException("Text in the body must be printable: no control characters or unpaired"
          + " surrogates.");
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!SafeText.isSafe(name)) {
        throw new InvalidRequestException("Field names must be printable text.");
      }
    });
    node.elements().forEachRemaining(AdminJson::requireSafeText);
  }

  /** Reads limits; every field optional, absent or null meaning unlimited. */
  static Limits limits(JsonNode node) {
    return LimitsJson.read(node);
  }

  /** The most markup an org may set, in millionths: 1000 %. */
  static final long MAX_MARKUP_PPM = 10_000_000;

  /**
   * {@code "markup_percent"}: a decimal string of at most four decimals ("15", "12.5"), in millionths; null when
   * absent or null (no markup).
   */
  static Long markupPpm(JsonNode node) {
    JsonNode value = node.get("markup_percent");
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      if (!value.isTextual()) {
        throw new ArithmeticException();
      }
      long ppm = new BigDecimal(value.asText().trim()).movePointRight(4).longValueExact();
      if (ppm < 0 || ppm > MAX_MARKUP_PPM) {
        throw new ArithmeticException();
      }
      return ppm;
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidRequestException("'markup_percent' must be a decimal string from \"0\" to \"1000\" with at most"
          + " four decimals, such as \"15\" or \"12.5\"; null for none.");
    }
  }

  /** Millionths as a percent string: 150000 is "15", 125000 "12.5". */
  static String percent(long ppm) {
    return BigDecimal.valueOf(ppm).movePointLeft(4).stripTrailingZeros().toPlainString();
  }

  /** {@code "budget_enforcement"}: true for {@code stop_stream}, false for {@code hold}, null when absent. */
  static Boolean stopStreams(JsonNode node) {
    JsonNode value = node.get("budget_enforcement");
    if (value == null || value.isNull()) {
      return null;
    }
    return switch (value.asText("")) {
      case "stop_stream" -> true;
      case "hold" -> false;
      default -> throw new InvalidRequestException("'budget_enforcement' must be \"hold\" (budgets kept by holds)"
          + " or \"stop_stream\" (streams also ended when their running cost reaches a budget).");
    };
  }

  /** An IANA time zone such as {@code "Europe/Berlin"}, or null when the field is absent; {@code "UTC"} is UTC. */
  static String timeZone(JsonNode node) {
    JsonNode value = node.get("time_zone");
    if (value == null || value.isNull()) {
      return null;
    }
    String zone = value.asText("");
    if (!zone.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(zone)) {
      throw new InvalidRequestException("'time_zone' must be an IANA time zone such as \"Europe/Berlin\" or \"UTC\".");
    }
    return zone.equals("UTC") ? null : zone;
  }

  static List<String> stringList(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new InvalidRequestException("'" + field + "' must be an array of strings.");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new InvalidRequestException("'" + field + "' must be an array of non-empty strings.");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** An org: {@code limits} its own, {@code effective_limits} those in force (its own over its plan's). */
  static ObjectNode org(AdminReply.OrgDescription org) {
    OrgProfile profile = org.profile();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", profile.id());
    o.put("name", profile.name());
    o.put("created_at", Instant.ofEpochMilli(profile.createdAtMillis()).toString());
    o.put("time_zone", profile.zoneName());
    if (org.plan() == null) {
      o.putNull("plan");
    } else {
      o.put("plan", org.plan());
    }
    o.put("status", profile.disabled() ? "disabled" : "active");
    o.put("budget_enforcement", profile.stopStreams() ? "stop_stream" : "hold");
    o.put("markup_percent", profile.markupPpm() == null ? null : percent(profile.markupPpm()));
    if (profile.disabled()) {
      o.put("disabled_at", Instant.ofEpochMilli(profile.disabledAtMillis()).toString());
    }
    o.set("limits", limits(org.limits()));
    o.set("effective_limits", limits(org.effectiveLimits()));
    o.put("active_keys", org.activeKeys());
    return o;
  }

  private static void putInstant(ObjectNode o, String field, Long millis) {
    if (millis == null) {
      o.putNull(field);
    } else {
      o.put(field, Instant.ofEpochMilli(millis).toString());
    }
  }

  /** An instant as ISO-8601 ({@code "2027-01-01T00:00:00Z"}), or null when the field is absent. */
  static Long instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      return Instant.parse(value.asText("")).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidRequestException("'" + field + "' must be an ISO-8601 instant such as \"2027-01-01T00:00:00Z\".");
    }
  }

  static ObjectNode limits(Limits limits) {
    return LimitsJson.write(limits);
  }

  static ObjectNode key(KeyInfo key) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", key.id());
    o.put("name", key.name());
    ArrayNode models = o.putArray("allowed_models");
    key.allowedModels().forEach(models::add);
    o.put("created_at", Instant.ofEpochMilli(key.createdAtMillis()).toString());
    putInstant(o, "revoked_at", key.revokedAtMillis());
    putInstant(o, "expires_at", key.expiresAtMillis());
    putInstant(o, "last_used_at", key.lastUsedAtMillis());
    if (key.previousValidUntilMillis() != null) {
      o.put("previous_secret_valid_until", Instant.ofEpochMilli(key.previousValidUntilMillis()).toString());
    }
    if (key.limits() == null) {
      o.putNull("limits");
    } else {
      o.set("limits", limits(key.limits()));
    }
    ObjectNode binds = o.putObject("binds");
    if (key.binds() != null) {
      key.binds().forEach(binds::put);
    }
    return o;
  }

  static ObjectNode keys(List<KeyInfo> keys) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode array = o.putArray("keys");
    keys.forEach(k -> array.add(key(k)));
    return o;
  }

  static ObjectNode quota(QuotaView q) {
    MonthTotals m = q.month();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("org", q.orgId());
    o.put("period", m.period());
    o.set("limits", limits(q.limits()));
    ObjectNode usage = o.putObject("usage");
    usage.put("requests_this_minute", q.requestsThisMinute());
    usage.put("tokens_this_minute", q.tokensThisMinute());
    usage.put("monthly_requests", q.monthlyRequests());
    tokens(usage.putObject("monthly_tokens"), m.inputTokens(), m.outputTokens(), m.cacheReadTokens(),
        m.cacheWriteTokens(), m.reasoningTokens());
    usage.put("monthly_cost_usd", Money.formatUsd(m.costNanos()));
    usage.put("reserved_cost_usd", Money.formatUsd(q.reservedCostNanos()));
    usage.put("in_flight", q.inFlight());
    usage.put("unpriced_requests", m.unpricedRequests());
    usage.put("abandoned_requests", m.abandonedRequests());
    usage.put("abandoned_hold_usd", Money.formatUsd(m.abandonedHoldNanos()));
    ObjectNode remaining = o.putObject("remaining");
    putNullable(remaining, "requests_this_minute", q.remainingRequestsThisMinute());
    putNullable(remaining, "tokens_this_minute", q.remainingTokensThisMinute());
    putNullable(remaining, "monthly_requests", q.remainingMonthlyRequests());
    putUsd(remaining, "monthly_budget_usd", q.remainingBudgetNanos());
    if (q.windows() != null && !q.windows().values().isEmpty()) {
      ScopesJson.windows(o, q.windows(), q.windows().values().get(0), q.limits());
    }
    return o;
  }

  static ObjectNode spend(String orgId, SpendReport.Range range, SpendQuery.Spend spend) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("org", orgId);
    o.put("from", range.from().toString());
    o.put("to", range.to().toString());
    o.put("by", range.by().label());
    if (spend.lastProjectedAt() == null) {
      o.putNull("last_projected_at");
    } else {
      o.put("last_projected_at", spend.lastProjectedAt().toString());
    }
    ArrayNode groups = o.putArray("groups");
    for (SpendQuery.Group g : spend.groups()) {
      ObjectNode group = groups.addObject();
      group.put(range.by().label(), g.value());
      sums(group, g.sums());
    }
    sums(o.putObject("total"), spend.total());
    return o;
  }

  private static void tokens(ObjectNode o, long input, long output, long cacheRead, long cacheWrite, long reasoning) {
    o.put("input", input);
    o.put("output", output);
    o.put("cache_read", cacheRead);
    o.put("cache_write", cacheWrite);
    o.put("reasoning", reasoning);
  }

  static void sums(ObjectNode o, DailyUsage.Sums s) {
    o.put("requests", s.requests());
    tokens(o.putObject("tokens"), s.inputTokens(), s.outputTokens(), s.cacheReadTokens(), s.cacheWriteTokens(),
        s.reasoningTokens());
    o.put("cost_usd", Money.formatUsd(s.costNanos()));
    o.put("estimated_requests", s.estimatedRequests());
    o.put("unpriced_requests", s.unpricedRequests());
  }

  /** Reads one model's price: USD per million tokens in the catalog's own format, bare or under "usd_per_mtok". */
  static ModelPrice price(JsonNode node, String model) {
    if (model.isBlank() || model.length() > 256 || !SafeText.isSafe(model)) {
      throw new InvalidRequestException("The model name in the path must be 1 to 256 printable characters.");
    }
    JsonNode usd = node.has("usd_per_mtok") ? node.get("usd_per_mtok") : node;
    if (!usd.isObject()) {
      throw new InvalidRequestException("'usd_per_mtok' must be an object of prices in USD per million tokens.");
    }
    try {
      return TollgateFormat.price(usd, model);
    } catch (IllegalArgumentException e) { // also NumberFormatException, for "abc"
      throw new InvalidRequestException("Prices are decimal USD per million tokens with 'input' and 'output' required"
          + " (e.g. {\"input\": \"2.5\", \"output\": \"10\", \"cache_read\": \"1.25\"}): " + e.getMessage());
    }
  }

  static UnpricedModels unpricedModels(JsonNode node) {
    String value = node.path("unpriced_models").asText("");
    return switch (value) {
      case "serve" -> UnpricedModels.SERVE;
      case "refuse" -> UnpricedModels.REFUSE;
      case "budgeted" -> UnpricedModels.BUDGETED;
      default -> throw new InvalidRequestException("'unpriced_models' must be \"serve\", \"refuse\" or \"budgeted\".");
    };
  }

  static ObjectNode pricing(String orgId, OrgPricing pricing, String catalogVersion) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("org", orgId);
    o.put("catalog_version", catalogVersion);
    o.put("unpriced_models", pricing.unpricedModels().name().toLowerCase(Locale.ROOT));
    ArrayNode overrides = o.putArray("overrides");
    pricing.overrides().values().stream().sorted(Comparator.comparing(PriceOverride::model)).forEach(p -> {
      ObjectNode entry = overrides.addObject();
      entry.put("model", p.model());
      entry.set("usd_per_mtok", TollgateFormat.usd(p.price()));
      entry.put("set_at", Instant.ofEpochMilli(p.setAtMillis()).toString());
    });
    return o;
  }

  static ObjectNode error(String type, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("type", type);
    e.put("message", message);
    return o;
  }

  static void putNullable(ObjectNode o, String field, Long value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  static void putUsd(ObjectNode o, String field, Long nanos) {
    if (nanos == null) {
      o.putNull(field);
    } else {
      o.put(field, Money.formatUsd(nanos));
    }
  }
}
