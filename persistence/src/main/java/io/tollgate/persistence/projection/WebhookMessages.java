package io.tollgate.persistence.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Webhook;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** The messages of an org's event at this journal offset; none for events no webhook hears of. */
  static List<Message> of(String orgId, String offset, OrgEvent event) {
    if (event instanceof OrgEvent.BudgetThresholdsCrossed e) {
      return e.crossings().stream().map(c -> budget(orgId, c, e.atMillis())).toList();
    }
    return one(orgId, offset, event).stream().toList();
  }

  /**
   * A budget past a threshold, with the forecast at the rate of the period so far: the spend at its end, and
   * when the budget runs out (null: not before the period ends). One message per period and threshold, however
   * often it is journaled.
   */
  private static Message budget(String orgId, BudgetCrossing c, long atMillis) {
    long elapsed = Math.max(1, atMillis - c.periodStartMillis());
    BigInteger spent = BigInteger.valueOf(c.spentNanos());
    long projected = spent.multiply(BigInteger.valueOf(c.periodEndMillis() - c.periodStartMillis()))
        .divide(BigInteger.valueOf(elapsed)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    Long runsOut = null;
    if (c.spentNanos() >= c.budgetNanos()) {
      runsOut = atMillis;
    } else if (c.spentNanos() > 0) {
      long at = c.periodStartMillis() + BigInteger.valueOf(elapsed).multiply(BigInteger.valueOf(c.budgetNanos()))
          .divide(spent).min(BigInteger.valueOf(Long.MAX_VALUE / 2)).longValue();
      runsOut = at < c.periodEndMillis() ? at : null;
    }
    Map<String, Object> data = data(orgId);
    data.put("scope", c.scope());
    data.put("budget", c.budget());
    data.put("threshold_percent", c.percent());
    data.put("spent_usd", Money.formatUsd(c.spentNanos()));
    data.put("budget_usd", Money.formatUsd(c.budgetNanos()));
    data.put("period_start", time(c.periodStartMillis()));
    data.put("period_end", time(c.periodEndMillis()));
    data.put("projected_usd", Money.formatUsd(projected));
    data.put("runs_out_at", runsOut == null ? null : time(runsOut));
    String key = "budget:" + c.scope() + ":" + c.budget() + ":" + c.percent() + ":" + c.periodStartMillis();
    return new Message(id(orgId, key), "budget.threshold_crossed", atMillis, data, null, "Tollgate · org " + orgId
        + " · " + c.scope() + " passed " + c.percent() + " % of its " + c.budget().replace("_usd", "").replace('_', ' ')
        + ": $" + Money.formatUsd(c.spentNanos()) + " of $" + Money.formatUsd(c.budgetNanos()));
  }

  private static Optional<Message> one(String orgId, String offset, OrgEvent event) {
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
