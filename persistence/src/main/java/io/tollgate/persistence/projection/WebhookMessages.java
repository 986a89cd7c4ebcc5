package io.tollgate.persistence.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Webhook;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook message an event of the journal makes, if any: its type, an id that is the same however often
 * the event is read (the {@code webhook-id} a receiver deduplicates by), and its body in each format.
 */
final class WebhookMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param onlyTo the one webhook it goes to (a test), or null for every webhook of the org that takes its type
   * @param summary one line for people, the Slack format's text
   */
  record Message(String id, String type, long atMillis, Map<String, Object> data, String onlyTo, String summary) {
    /** The Standard Webhooks body: {@code {"type", "timestamp", "data"}}. */
    String standardBody() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", type);
      body.put("timestamp", Instant.ofEpochMilli(atMillis).toString());
      body.put("data", data);
      return json(body);
    }

    /** Slack's incoming-webhook body. */
    String slackBody() {
      return json(Map.of("text", summary));
    }
  }

  private WebhookMessages() {}

  /** The message of an org's event at this journal offset; empty for events no webhook hears of. */
  static Optional<Message> of(String orgId, String offset, OrgEvent event) {
    if (event instanceof OrgEvent.KeyIssued e) {
      Map<String, Object> data = data(orgId);
      data.put("key_id", e.key().id());
      data.put("name", e.key().name());
      data.put("created_at", time(e.key().createdAtMillis()));
      data.put("expires_at", e.key().expiresAtMillis() == null ? null : time(e.key().expiresAtMillis()));
      return message(orgId, offset, "key.created", e.key().createdAtMillis(), data, null,
          "key `" + e.key().name() + "` (" + e.key().id() + ") created");
    } else if (event instanceof OrgEvent.KeyRevoked e) {
      Map<String, Object> data = data(orgId);
      data.put("key_id", e.keyId());
      data.put("revoked_at", time(e.atMillis()));
      return message(orgId, offset, "key.revoked", e.atMillis(), data, null, "key " + e.keyId() + " revoked");
    } else if (event instanceof OrgEvent.OutcomeReported e) {
      BusinessOutcome o = e.outcome();
      Map<String, Object> data = data(orgId);
      data.put("outcome_id", o.id());
      data.put("session_id", o.session());
      data.put("name", o.name());
      data.put("value_usd", Money.formatUsd(o.valueNanos()));
      data.put("agent", o.attribution().agent());
      data.put("customer", o.attribution().customer());
      data.put("recorded_at", time(o.reportedAtMillis()));
      // A repeated report of the same outcome is the same message: the read model keeps the first, and so does a receiver.
      return message(orgId, "outcome:" + o.id(), "outcome.recorded", o.reportedAtMillis(), data, null,
          "outcome `" + o.name() + "` recorded, worth $" + Money.formatUsd(o.valueNanos()));
    } else if (event instanceof OrgEvent.OutcomeReviewed e && e.confirmed()) {
      Map<String, Object> data = data(orgId);
      data.put("outcome_id", e.outcomeId());
      data.put("by", e.by());
      data.put("confirmed_at", time(e.atMillis()));
      return message(orgId, offset, "outcome.confirmed", e.atMillis(), data, null,
          "outcome " + e.outcomeId() + " confirmed by " + e.by());
    } else if (event instanceof OrgEvent.WebhookTested e) {
      Map<String, Object> data = data(orgId);
      data.put("webhook_id", e.webhookId());
      return message(orgId, offset, Webhook.TEST, e.atMillis(), data, e.webhookId(), "a test message from Tollgate");
    }
    return Optional.empty();
  }

  private static Optional<Message> message(String orgId, String naturalKey, String type, long atMillis,
      Map<String, Object> data, String onlyTo, String summary) {
    return Optional.of(new Message(id(orgId, naturalKey), type, atMillis, data, onlyTo,
        "Tollgate · org " + orgId + " · " + summary));
  }

  /** {@code msg_} and 24 hex digits of the SHA-256 of the org and what makes the event itself. */
  static String id(String orgId, String naturalKey) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((orgId + "\n" + naturalKey).getBytes(StandardCharsets.UTF_8));
      return "msg_" + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static Map<String, Object> data(String orgId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_id", orgId);
    return data;
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
