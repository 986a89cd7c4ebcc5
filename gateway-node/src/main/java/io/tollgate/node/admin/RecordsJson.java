package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.DenialLogQuery;
import io.tollgate.persistence.query.DenialLogQuery.LoggedDenial;
import io.tollgate.persistence.query.LogFilter;
import io.tollgate.persistence.query.RequestLogQuery.LoggedRequest;
import io.tollgate.persistence.query.RequestLogQuery.Page;
import io.tollgate.persistence.query.RequestLogQuery.Stats;
import io.tollgate.persistence.query.SessionQuery;
import io.tollgate.persistence.query.SessionQuery.SessionSummary;
import io.tollgate.protocol.money.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The request log as the admin API shows it; money as decimal strings of USD, exact to the nano-USD. */
final class RecordsJson {
  private RecordsJson() {}

  static ObjectNode requests(Page page) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode array = o.putArray("requests");
    page.requests().forEach(r -> array.add(request(r)));
    o.put("next_cursor", page.next() == null ? null : page.next().encode());
    return o;
  }

  /** The request figures, the error rate a percentage to two places (null without requests). */
  static ObjectNode stats(LogFilter filter, Stats stats) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("from", filter.from().toString());
    o.put("to", filter.to() == null ? null : filter.to().toString());
    o.put("requests", stats.requests());
    o.put("errors", stats.errors());
    o.put("error_rate_percent", stats.requests() == 0 ? null
        : new BigDecimal(stats.errors() * 100).divide(BigDecimal.valueOf(stats.requests()), 2, RoundingMode.HALF_UP)
            .toPlainString());
    ObjectNode latency = o.putObject("latency_ms");
    latency.put("p50", stats.latencyP50Millis());
    latency.put("p95", stats.latencyP95Millis());
    return o;
  }

  static ObjectNode request(LoggedRequest r) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", r.requestId());
    o.put("admitted_at", Instant.ofEpochMilli(r.admittedAtMillis()).toString());
    o.put("finished_at", Instant.ofEpochMilli(r.finishedAtMillis()).toString());
    o.put("key_id", r.keyId());
    o.put("provider", r.provider());
    o.put("api", r.api());
    o.put("model", r.model());
    o.put("status", r.status());
    o.put("outcome", r.outcome());
    ObjectNode tokens = o.putObject("tokens");
    tokens.put("input", r.inputTokens());
    tokens.put("output", r.outputTokens());
    tokens.put("cache_read", r.cacheReadTokens());
    tokens.put("cache_write", r.cacheWriteTokens());
    tokens.put("reasoning", r.reasoningTokens());
    o.put("cost_usd", Money.formatUsd(r.costNanos()));
    AdminJson.putUsd(o, "provider_cost_usd", r.providerCostNanos());
    o.put("price_source", r.priceSource());
    AdminJson.putNullable(o, "latency_ms", r.latencyMillis());
    AdminJson.putNullable(o, "upstream_ms", r.upstreamMillis());
    ArrayNode flags = o.putArray("flags");
    if (r.estimated()) {
      flags.add("estimated");
    }
    if (r.unpriced()) {
      flags.add("unpriced");
    }
    if (r.savedCostNanos() != null) {
      flags.add("cached");
    }
    if ("stopped_at_budget".equals(r.outcome())) {
      flags.add("stopped");
    }
    if (r.overLimits().stream().anyMatch(l -> l.startsWith("soft "))) {
      flags.add("over_soft_limit");
    }
    if (r.overLimits().stream().anyMatch(l -> l.startsWith("shadow "))) {
      flags.add("over_shadow_limit");
    }
    AdminJson.putUsd(o, "saved_cost_usd", r.savedCostNanos());
    ArrayNode over = o.putArray("over_limits");
    r.overLimits().forEach(over::add);
    if (r.attemptsJson() == null) {
      o.putArray("attempts");
    } else {
      o.set("attempts", attempts(r.attemptsJson()));
    }
    attribution(o, r.agent(), r.session(), r.customer(), r.team(), r.user(), r.tags());
    return o;
  }

  /** The tries that did not serve a request, as the request log keeps them (JSON it wrote itself). */
  private static JsonNode attempts(String json) {
    try {
      return AdminJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode sessions(SessionQuery.Page page) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode array = o.putArray("sessions");
    page.sessions().forEach(s -> array.add(session(s)));
    o.put("next_cursor", page.next() == null ? null : page.next().encode());
    return o;
  }

  static ObjectNode session(SessionSummary s) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", s.session());
    o.put("status", s.active() ? "active" : "completed");
    o.put("agent", s.agent());
    o.put("customer", s.customer());
    o.put("user", s.user());
    o.put("first_request_at", Instant.ofEpochMilli(s.firstAtMillis()).toString());
    o.put("last_request_at", Instant.ofEpochMilli(s.lastAtMillis()).toString());
    o.put("closed_at", s.closedAtMillis() == null ? null : Instant.ofEpochMilli(s.closedAtMillis()).toString());
    o.put("request_count", s.requests());
    o.put("errors", s.errors());
    ObjectNode tokens = o.putObject("tokens");
    tokens.put("input", s.inputTokens());
    tokens.put("output", s.outputTokens());
    tokens.put("cache_read", s.cacheReadTokens());
    tokens.put("cache_write", s.cacheWriteTokens());
    tokens.put("reasoning", s.reasoningTokens());
    o.put("cost_usd", Money.formatUsd(s.costNanos()));
    AdminJson.putNullable(o, "mean_latency_ms", s.meanLatencyMillis());
    return o;
  }

  /** A session with its requests in the order they came. */
  static ObjectNode session(SessionSummary s, List<LoggedRequest> requests) {
    ObjectNode o = session(s);
    ArrayNode array = o.putArray("requests");
    requests.forEach(r -> array.add(request(r)));
    return o;
  }

  static ObjectNode denials(DenialLogQuery.Page page) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode array = o.putArray("denials");
    page.denials().forEach(d -> array.add(denial(d)));
    o.put("next_cursor", page.next() == null ? null : page.next().encode());
    o.put("dropped", page.dropped());
    return o;
  }

  static ObjectNode denial(LoggedDenial d) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", d.requestId());
    o.put("at", Instant.ofEpochMilli(d.atMillis()).toString());
    o.put("key_id", d.keyId());
    o.put("provider", d.provider());
    o.put("model", d.model());
    o.put("reason", d.reason());
    o.put("status", d.status());
    o.put("scope", d.scope());
    o.put("limit", d.limit());
    attribution(o, d.agent(), d.session(), d.customer(), d.team(), d.user(), d.tags());
    return o;
  }

  private static void attribution(ObjectNode o, String agent, String session, String customer, String team,
      String user, Map<String, String> tags) {
    ObjectNode attribution = o.putObject("attribution");
    attribution.put("agent", agent);
    attribution.put("session", session);
    attribution.put("customer", customer);
    attribution.put("team", team);
    attribution.put("user", user);
    ObjectNode tagNode = o.putObject("tags");
    tags.forEach(tagNode::put);
  }
}
