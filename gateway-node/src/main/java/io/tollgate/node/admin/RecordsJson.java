package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.RequestLogQuery.LoggedRequest;
import io.tollgate.persistence.query.RequestLogQuery.Page;
import io.tollgate.protocol.money.Money;
import java.time.Instant;

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
    if ("stopped_at_budget".equals(r.outcome())) {
      flags.add("stopped");
    }
    if (r.overLimits().stream().anyMatch(l -> l.startsWith("soft "))) {
      flags.add("over_soft_limit");
    }
    if (r.overLimits().stream().anyMatch(l -> l.startsWith("shadow "))) {
      flags.add("over_shadow_limit");
    }
    ArrayNode over = o.putArray("over_limits");
    r.overLimits().forEach(over::add);
    ObjectNode attribution = o.putObject("attribution");
    attribution.put("agent", r.agent());
    attribution.put("session", r.session());
    attribution.put("customer", r.customer());
    attribution.put("team", r.team());
    attribution.put("user", r.user());
    ObjectNode tags = o.putObject("tags");
    r.tags().forEach(tags::put);
    return o;
  }
}
