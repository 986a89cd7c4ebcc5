package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.WebhookDeliveryQuery.Attempt;
import io.tollgate.persistence.query.WebhookDeliveryQuery.Delivery;
import io.tollgate.protocol.org.Webhook;
import java.time.Instant;
import java.util.List;

/** Webhooks and their deliveries as the admin API shows them. A secret is shown once, when it is made. */
final class WebhooksJson {
  private WebhooksJson() {}

  static ObjectNode webhook(Webhook w, boolean withSecret) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", w.id());
    o.put("url", w.url());
    ArrayNode events = o.putArray("events");
    (w.events().isEmpty() ? Webhook.EVENT_TYPES : w.events()).forEach(events::add);
    o.put("format", w.format());
    o.put("created_at", Instant.ofEpochMilli(w.createdAtMillis()).toString());
    if (withSecret) {
      o.put("secret", w.secret());
    }
    return o;
  }

  static ObjectNode webhooks(List<Webhook> webhooks) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode list = o.putArray("webhooks");
    webhooks.forEach(w -> list.add(webhook(w, false)));
    return o;
  }

  static ObjectNode deliveries(String webhookId, List<Delivery> deliveries) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("webhook_id", webhookId);
    ArrayNode list = o.putArray("deliveries");
    for (Delivery d : deliveries) {
      ObjectNode item = list.addObject();
      item.put("id", d.messageId());
      item.put("type", d.type());
      item.put("created_at", time(d.createdAtMillis()));
      item.put("status", d.status());
      item.put("attempts", d.attempts());
      item.put("next_attempt_at", time(d.nextAttemptMillis()));
      item.put("delivered_at", time(d.deliveredAtMillis()));
      ArrayNode history = item.putArray("history");
      for (Attempt a : d.history()) {
        ObjectNode attempt = history.addObject();
        attempt.put("attempt", a.number());
        attempt.put("at", time(a.atMillis()));
        attempt.put("status_code", a.statusCode());
        attempt.put("latency_ms", a.latencyMillis());
        attempt.put("error", a.error());
      }
    }
    return o;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
