package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/**
 * Where an org's events are posted: its URL, the event types it takes (empty: every type), the body's format,
 * and the secret its deliveries are signed with (Standard Webhooks; shown once, when it is added).
 *
 * @param format {@link #STANDARD} (the Standard Webhooks body) or {@link #SLACK} (Slack's incoming-webhook JSON)
 */
public record Webhook(String id, String url, List<String> events, String format, String secret, long createdAtMillis)
    implements CborSerializable {
  public static final String STANDARD = "standard";
  public static final String SLACK = "slack";
  /** The event types a webhook may ask for (docs/webhooks.md); a test message goes to the one webhook tested. */
  public static final List<String> EVENT_TYPES = List.of("budget.threshold_crossed", "quota.threshold_crossed",
      "limit.soft_exceeded", "rate_limit.hit", "cost.anomaly", "provider.error_rate", "key.created", "key.revoked",
      "key.expiring", "outcome.recorded", "outcome.confirmed", "usage.daily_summary");
  public static final String TEST = "webhook.test";

  public Webhook {
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** Never the secret: a webhook may end up in a log line or an exception's message. */
  @Override
  public String toString() {
    return "Webhook[id=" + id + ", url=" + url + ", events=" + events + ", format=" + format + "]";
  }

  /** True when this webhook takes events of the type. */
  public boolean takes(String type) {
    return events.isEmpty() || events.contains(type);
  }
}
