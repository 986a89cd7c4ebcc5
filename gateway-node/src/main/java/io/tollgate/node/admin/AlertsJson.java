package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.AlertPolicy;
import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.AnomalyAction;
import io.tollgate.protocol.org.AnomalyGrade;
import io.tollgate.protocol.org.Baseline;
import io.tollgate.protocol.org.Block;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The alert policy, blocks and anomalies as the admin API reads and writes them (docs/webhooks.md). */
final class AlertsJson {
  private static final Set<String> FIELDS = Set.of("thresholds", "anomaly");
  private static final Set<String> ANOMALY_FIELDS = Set.of("interval_seconds", "min_spend_usd", "actions", "block_minutes");

  private AlertsJson() {}

  /** Refuses a body that is not an object of known fields, before the org is asked. */
  static void check(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidRequestException("The body must be a JSON object with 'thresholds' and/or 'anomaly'.");
    }
    unknown(json, FIELDS, "");
    JsonNode anomaly = json.get("anomaly");
    if (anomaly != null && !anomaly.isNull()) {
      if (!anomaly.isObject()) {
        throw new InvalidRequestException("'anomaly' must be an object of " + String.join(", ", ANOMALY_FIELDS) + ".");
      }
      unknown(anomaly, ANOMALY_FIELDS, "anomaly.");
    }
  }

  /** {@code current} with the fields {@code json} names replaced. */
  static AlertPolicy policy(JsonNode json, AlertPolicy current) {
    List<Integer> thresholds = current.thresholds();
    JsonNode t = json.get("thresholds");
    if (t != null) {
      if (!t.isArray()) {
        throw new InvalidRequestException("'thresholds' must be a list of percentages, e.g. [50, 80, 100].");
      }
      thresholds = new ArrayList<>();
      for (JsonNode n : t) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
          throw new InvalidRequestException("'thresholds' must hold whole percentages from 1 to 100.");
        }
        thresholds.add(n.asInt());
      }
    }
    long interval = current.intervalSeconds();
    long minSpend = current.minSpendNanos();
    long blockMinutes = current.blockMinutes();
    Map<AnomalyGrade, AnomalyAction> actions = new EnumMap<>(current.actions());
    JsonNode a = json.get("anomaly");
    if (a != null && a.isObject()) {
      interval = whole(a, "interval_seconds", interval);
      blockMinutes = whole(a, "block_minutes", blockMinutes);
      if (a.has("min_spend_usd")) {
        JsonNode v = a.get("min_spend_usd");
        String text = v.isTextual() ? v.asText() : v.isNumber() ? v.decimalValue().toPlainString() : null;
        try {
          minSpend = Money.parseUsd(text);
        } catch (RuntimeException e) {
          throw new InvalidRequestException("'anomaly.min_spend_usd' must be a decimal string in USD, e.g. \"1.00\".");
        }
      }
      JsonNode act = a.get("actions");
      if (act != null) {
        if (!act.isObject()) {
          throw new InvalidRequestException("'anomaly.actions' must map low, medium, high, critical to record, alert or block.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = act.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          actions.put(grade(e.getKey()), action(e.getValue()));
        }
      }
    }
    try {
      return new AlertPolicy(thresholds, interval, minSpend, actions, blockMinutes);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  static ObjectNode alerts(AdminReply.AlertsDescription d) {
    AlertPolicy p = d.policy();
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode thresholds = o.putArray("thresholds");
    p.thresholds().forEach(thresholds::add);
    ObjectNode anomaly = o.putObject("anomaly");
    anomaly.put("interval_seconds", p.intervalSeconds());
    anomaly.put("min_spend_usd", Money.formatUsd(p.minSpendNanos()));
    ObjectNode actions = anomaly.putObject("actions");
    for (AnomalyGrade g : AnomalyGrade.values()) {
      actions.put(name(g), name(p.action(g)));
    }
    anomaly.put("block_minutes", p.blockMinutes());
    ArrayNode blocks = o.putArray("blocks");
    for (Block b : d.blocks()) {
      ObjectNode n = blocks.addObject();
      n.put("scope", b.scope());
      n.put("severity", name(b.grade()));
      n.put("measure", b.measure());
      n.put("since", Instant.ofEpochMilli(b.atMillis()).toString());
      n.put("until", Instant.ofEpochMilli(b.untilMillis()).toString());
    }
    ArrayNode baselines = o.putArray("baselines");
    d.baselines().forEach((subject, b) -> {
      ObjectNode n = baselines.addObject();
      n.put("subject", subject);
      n.put("intervals_learned", b.intervals());
      n.put("learning", b.intervals() < Baseline.WARM_UP);
      n.put("usual_spend_usd", Money.formatUsd(b.meanSpend()));
      n.put("spend_deviation_usd", Money.formatUsd(b.spendSigma()));
      n.put("usual_requests", Baseline.requests(b.meanRequests()));
      ObjectNode current = n.putObject("interval");
      current.put("start", Instant.ofEpochMilli(b.intervalStart()).toString());
      current.put("spend_usd", Money.formatUsd(b.spend()));
      current.put("requests", b.requests());
    });
    ArrayNode anomalies = o.putArray("anomalies");
    for (int i = d.anomalies().size() - 1; i >= 0; i--) {
      anomaly(anomalies.addObject(), d.anomalies().get(i));
    }
    return o;
  }

  private static void anomaly(ObjectNode n, Anomaly a) {
    n.put("subject", a.subject());
    n.put("measure", a.measure());
    n.put("severity", name(a.grade()));
    n.put("observed", a.shown(a.observed()));
    n.put("expected", a.shown(a.expected()));
    n.put("standard_deviation", a.shown(a.sigma()));
    n.put("interval_start", Instant.ofEpochMilli(a.intervalStartMillis()).toString());
    n.put("action", name(a.action()));
    if (a.blocked() != null) {
      n.put("blocked", a.blocked());
      n.put("blocked_until", Instant.ofEpochMilli(a.blockedUntilMillis()).toString());
    }
  }

  private static long whole(JsonNode node, String field, long current) {
    JsonNode v = node.get(field);
    if (v == null) {
      return current;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidRequestException("'anomaly." + field + "' must be a whole number.");
    }
    return v.asLong();
  }

  private static AnomalyGrade grade(String name) {
    try {
      return AnomalyGrade.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Unknown severity '" + name + "' in 'anomaly.actions': low, medium, high or critical.");
    }
  }

  private static AnomalyAction action(JsonNode value) {
    try {
      return AnomalyAction.valueOf(value.asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("An anomaly action is record, alert or block, not " + value + ".");
    }
  }

  private static void unknown(JsonNode json, Set<String> known, String prefix) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidRequestException("Unknown field '" + prefix + f + "'. Fields: " + String.join(", ", known) + ".");
      }
    }
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
