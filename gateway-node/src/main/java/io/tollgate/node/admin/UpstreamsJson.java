package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.config.ProviderEndpoint;
import io.tollgate.node.upstream.Deployment;
import io.tollgate.node.upstream.ProviderPool;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code GET /admin/upstreams}: every configured provider's deployments and their health, as this node sees them. */
final class UpstreamsJson {
  private UpstreamsJson() {}

  static ObjectNode upstreams(List<ProviderPool> pools, long now) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode providers = o.putArray("providers");
    for (ProviderPool pool : pools) {
      ObjectNode p = providers.addObject();
      p.put("provider", pool.provider().id());
      ArrayNode deployments = p.putArray("deployments");
      for (Deployment d : pool.deployments()) {
        ObjectNode n = deployments.addObject();
        ProviderEndpoint e = d.endpoint();
        n.put("name", d.name());
        n.put("base_url", (e.https() ? "https" : "http") + "://" + e.host() + ":" + e.port() + e.basePath());
        n.put("weight", d.weight());
        n.put("state", d.breaker().state().name().toLowerCase(Locale.ROOT));
        if (d.coolingUntilMillis() > now) {
          n.put("cooling_until", Instant.ofEpochMilli(d.coolingUntilMillis()).toString());
        } else {
          n.putNull("cooling_until");
        }
        n.put("in_flight", d.inFlight());
        n.put("recent_calls", d.breaker().recentCalls());
        n.put("recent_failure_percent", d.breaker().failurePercent());
        n.put("requests", d.requests());
        n.put("failures", d.failures());
      }
    }
    return o;
  }
}
