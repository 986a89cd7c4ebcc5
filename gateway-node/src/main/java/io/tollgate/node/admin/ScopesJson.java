package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.AttributionHeaders;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Forecast;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.ScopeUsage;
import io.tollgate.protocol.org.Tally;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.org.WindowCount;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Scope values in the admin API: {@code /limits/{scope}/{value}}, a key's {@code binds}, the limits listing. */
final class ScopesJson {
  private ScopesJson() {}

  /** The scope value a path names; only teams, customers, users and agents have limits set this way. */
  static ScopeKey scope(String scopeName, String value) {
    Scope scope = Scope.ofWire(scopeName);
    if (scope == Scope.KEY) {
      throw new InvalidRequestException("A key's limits live on the key: PUT /admin/orgs/{org}/keys/{keyId}/limits.");
    }
    if (scope == null || !scope.setPerValue()) {
      throw new InvalidRequestException("Unknown scope '" + scopeName + "': limits are set per team, customer, user"
          + " or agent.");
    }
    return new ScopeKey(scope, value(value, scopeName));
  }

  /** A scope value as {@code ?scope=team:research} names it; any scope, the org's and keys' included. */
  static ScopeKey scopeValue(String id) {
    ScopeKey key = ScopeKey.parse(id);
    if (key == null) {
      throw new InvalidRequestException("'scope' must name a scope value, such as team:research or key:k_123.");
    }
    return new ScopeKey(key.scope(), value(key.value(), key.scope().wireName()));
  }

  /** A scope as {@code ?scope=team} names it. */
  static String scopeName(String name) {
    Scope scope = Scope.ofWire(name);
    if (scope == null || scope == Scope.ORG) {
      throw new InvalidRequestException("'scope' must be key, team, customer, user or agent.");
    }
    return scope.wireName();
  }

  /** A key's binds: {@code {"team": "research"}}; only a team, customer or user may be bound. */
  static Map<String, String> binds(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("'binds' must be an object such as {\"team\": \"research\"}.");
    }
    Map<String, String> binds = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      Scope scope = Scope.ofWire(e.getKey());
      if (scope != Scope.TEAM && scope != Scope.CUSTOMER && scope != Scope.USER) {
        throw new InvalidRequestException("A key may be bound to a team, customer or user, not '" + e.getKey() + "'.");
      }
      if (!e.getValue().isTextual() || e.getValue().asText().equals(ScopeKey.ANY)) {
        throw new InvalidRequestException("'binds." + e.getKey() + "' must be the value to bind, as a string.");
      }
      binds.put(scope.wireName(), value(e.getValue().asText(), e.getKey()));
    });
    return binds;
  }

  private static String value(String value, String scopeName) {
    if (value.isBlank() || value.length() > AttributionHeaders.MAX_VALUE_LENGTH || !SafeText.isSafe(value)) {
      throw new InvalidRequestException("A " + scopeName + " is 1-" + AttributionHeaders.MAX_VALUE_LENGTH
          + " printable characters.");
    }
    return value;
  }

  /** The usage of scope values: one ({@code ?scope=team:research}) or every tracked value of a scope. */
  static ObjectNode usage(String orgId, ScopeUsage usage, boolean one) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    if (one) {
      value(o, usage.values().get(0), usage, true);
      return o;
    }
    header(o, usage);
    ArrayNode values = o.putArray("values");
    usage.values().forEach(v -> value(values.addObject(), v, usage, false));
    return o;
  }

  /** The org's own windows in its quota view: the time zone, when each window resets, and what each counts. */
  static void windows(ObjectNode o, ScopeUsage usage, ScopeUsage.Value org, Limits limits) {
    header(o, usage);
    counts(o.putObject("windows"), org.tally(), usage.atMillis());
    forecast(o, limits, org.tally(), usage);
  }

  private static void header(ObjectNode o, ScopeUsage usage) {
    o.put("time_zone", usage.timeZone());
    ObjectNode resets = o.putObject("resets_at");
    usage.resetsAtMillis().forEach((window, at) -> resets.put(window, Instant.ofEpochMilli(at).toString()));
  }

  /** @param alone true for a value shown on its own, which then says its time zone and resets itself */
  private static void value(ObjectNode o, ScopeUsage.Value v, ScopeUsage usage, boolean alone) {
    ScopeKey key = ScopeKey.parse(v.scope());
    o.put("scope", key.scope().wireName());
    o.put("value", key.value());
    if (alone) {
      header(o, usage);
    }
    if (v.limits() == null) {
      o.putNull("limits");
    } else {
      o.set("limits", LimitsJson.write(v.limits()));
    }
    counts(o.putObject("usage"), v.tally(), usage.atMillis());
    ObjectNode remaining = o.putObject("remaining");
    if (v.limits() != null) {
      for (Window w : Window.values()) {
        WindowCount c = v.tally().at(w, usage.atMillis());
        remaining(remaining, requestsField(w), v.limits().requests(w), c.requests(), false);
        remaining(remaining, w == Window.MONTH ? null : "tokens_per_" + name(w), v.limits().tokens(w), c.tokens(), false);
        remaining(remaining, w == Window.DAY ? "daily_budget_usd" : w == Window.MONTH ? "monthly_budget_usd" : null,
            v.limits().budgetNanos(w), c.costNanos(), true);
      }
      forecast(o, v.limits(), v.tally(), usage);
    }
  }

  /**
   * For each budget, a model pattern's included, where its period is heading at the rate so far: the spend at
   * the period's end and when the budget runs out ({@code null}: not before the period ends). Nothing when no
   * budget is set.
   */
  static void forecast(ObjectNode o, Limits limits, Tally tally, ScopeUsage usage) {
    forecast(o, "", limits, tally, usage);
    limits.models().forEach((pattern, own) -> forecast(o, "models:" + pattern + " ", own, tally.model(pattern), usage));
  }

  private static void forecast(ObjectNode o, String prefix, Limits limits, Tally tally, ScopeUsage usage) {
    for (Window w : List.of(Window.DAY, Window.MONTH)) {
      Long budget = limits.budgetNanos(w);
      if (budget == null) {
        continue;
      }
      WindowCount c = tally.at(w, usage.atMillis());
      // Nothing counted in the current period yet: nothing projected, whatever its bounds.
      Forecast f = c.holds(usage.atMillis()) ? Forecast.of(c.costNanos(), budget, c.start(), c.end(), usage.atMillis())
          : new Forecast(0, null);
      ObjectNode forecast = o.has("forecast") ? (ObjectNode) o.get("forecast") : o.putObject("forecast");
      ObjectNode n = forecast.putObject(prefix + (w == Window.DAY ? "daily_budget_usd" : "monthly_budget_usd"));
      n.put("projected_usd", Money.formatUsd(f.projectedNanos()));
      if (f.runsOutAtMillis() == null) {
        n.putNull("runs_out_at");
      } else {
        n.put("runs_out_at", Instant.ofEpochMilli(f.runsOutAtMillis()).toString());
      }
    }
  }

  /** Requests, tokens and cost (spent or held) in each current window. */
  private static void counts(ObjectNode o, Tally tally, long at) {
    for (Window w : Window.values()) {
      WindowCount c = tally.at(w, at);
      ObjectNode window = o.putObject(name(w));
      window.put("requests", c.requests());
      window.put("tokens", c.tokens());
      window.put("cost_usd", Money.formatUsd(c.costNanos()));
    }
  }

  private static void remaining(ObjectNode o, String field, Long limit, long used, boolean usd) {
    if (field == null || limit == null) {
      return;
    }
    long left = Math.max(0, limit - used);
    if (usd) {
      o.put(field, Money.formatUsd(left));
    } else {
      o.put(field, left);
    }
  }

  private static String requestsField(Window w) {
    return w == Window.MONTH ? "monthly_requests" : "requests_per_" + name(w);
  }

  private static String name(Window w) {
    return w.name().toLowerCase(Locale.ROOT);
  }

  static ObjectNode scopeLimits(AdminReply.ScopeLimitsDescription d) {
    ScopeKey key = ScopeKey.parse(d.scope());
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("scope", key.scope().wireName());
    o.put("value", key.value());
    if (d.limits() == null) {
      o.putNull("limits");
    } else {
      o.set("limits", LimitsJson.write(d.limits()));
    }
    return o;
  }

  static ObjectNode limitsList(String orgId, AdminReply.LimitsList list) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    o.set("limits", LimitsJson.write(list.org()));
    ArrayNode scopes = o.putArray("scopes");
    list.scopes().forEach((id, limits) -> {
      ScopeKey key = ScopeKey.parse(id);
      ObjectNode entry = scopes.addObject();
      entry.put("scope", key.scope().wireName());
      entry.put("value", key.value());
      entry.set("limits", LimitsJson.write(limits));
    });
    ArrayNode keys = o.putArray("keys");
    list.keys().forEach((keyId, limits) -> {
      ObjectNode entry = keys.addObject();
      entry.put("key_id", keyId);
      entry.set("limits", LimitsJson.write(limits));
    });
    return o;
  }
}
