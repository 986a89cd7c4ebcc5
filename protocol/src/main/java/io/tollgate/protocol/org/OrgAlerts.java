package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How an org hears about its spend: the webhooks its events are posted to, by id. */
public record OrgAlerts(Map<String, Webhook> webhooks) implements CborSerializable {
  public static final OrgAlerts NONE = new OrgAlerts(Map.of());
  /** The shares of a budget, in percent, whose crossing is an event ({@code budget.threshold_crossed}). */
  public static final List<Integer> THRESHOLDS = List.of(50, 80, 100);

  public OrgAlerts {
    webhooks = webhooks == null ? Map.of() : Map.copyOf(webhooks);
  }

  public OrgAlerts with(Webhook webhook) {
    Map<String, Webhook> next = new HashMap<>(webhooks);
    next.put(webhook.id(), webhook);
    return new OrgAlerts(next);
  }

  public OrgAlerts without(String webhookId) {
    Map<String, Webhook> next = new HashMap<>(webhooks);
    next.remove(webhookId);
    return new OrgAlerts(next);
  }
}
