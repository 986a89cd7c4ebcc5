package io.tollgate.persistence.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Anomaly;
import io.tollgate.protocol.org.AnomalyAction;
import io.tollgate.protocol.org.BudgetCrossing;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.Forecast;
import io.tollgate.protocol.org.LimitCrossing;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.RateLimitHit;
import io.tollgate.protocol.org.Webhook;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    if (event instanceof OrgEvent.LimitsCrossed e) {
      return e.crossings().stream().map(c -> limit(orgId, c, e.atMillis())).toList();
    }
    if (event instanceof OrgEvent.AnomaliesDetected e) {
      return e.anomalies().stream().filter(a -> a.action() != AnomalyAction.RECORD)
          .map(a -> anomaly(orgId, a, e.atMillis())).toList();
    }
    if (event instanceof OrgEvent.RateLimitsHit e) {
      return e.hits().stream().map(h -> rateLimit(orgId, h, e.atMillis())).toList();
    }
    return one(orgId, offset, event).stream().toList();
  }

  /** A request quota past a threshold, or a soft limit passed: once per limit, period and threshold. */
  private static Message limit(String orgId, LimitCrossing c, long atMillis) {
    boolean usd = c.limit().endsWith("_usd");
    Map<String, Object> data = data(orgId);
    data.put("scope", c.scope());
    data.put("limit", c.limit());
    if (!c.soft()) {
      data.put("threshold_percent", c.percent());
    }
    data.put("used", usd ? Money.formatUsd(c.used()) : c.used());
    data.put("limit_value", usd ? Money.formatUsd(c.limitValue()) : c.limitValue());
    data.put("period_start", time(c.periodStartMillis()));
    data.put("period_end", time(c.periodEndMillis()));
    String type = c.soft() ? "limit.soft_exceeded" : "quota.threshold_crossed";
    String key = type + ":" + c.scope() + ":" + c.limit() + ":" + c.percent() + ":" + c.periodStartMillis();
    String shown = usd ? "$" + Money.formatUsd(c.used()) + " of $" + Money.formatUsd(c.limitValue())
        : c.used() + " of " + c.limitValue();
    return new Message(id(orgId, key), type, atMillis, data, null, "Tollgate · org " + orgId + " · " + c.scope()
        + (c.soft() ? " passed its soft limit " + c.limit() : " reached " + c.percent() + " % of its " + c.limit())
        + ": " + shown);
  }

  /** An anomaly its org's policy alerts on (or blocks for): once per subject, measure, interval and grade. */
  private static Message anomaly(String orgId, Anomaly a, long atMillis) {
    boolean spend = Anomaly.SPEND.equals(a.measure());
    Map<String, Object> data = data(orgId);
    data.put("subject", a.subject());
    data.put("measure", a.measure());
    data.put("severity", a.grade().name().toLowerCase(Locale.ROOT));
    data.put("sigmas", a.grade().sigmas());
    data.put("observed", a.shown(a.observed()));
    data.put("expected", a.shown(a.expected()));
    data.put("standard_deviation", a.shown(a.sigma()));
    data.put("interval_start", time(a.intervalStartMillis()));
    data.put("interval_end", time(a.intervalEndMillis()));
    data.put("action", a.action().name().toLowerCase(Locale.ROOT));
    data.put("blocked", a.blocked());
    data.put("blocked_until", a.blockedUntilMillis() == null ? null : time(a.blockedUntilMillis()));
    String key = "anomaly:" + a.subject() + ":" + a.measure() + ":" + a.intervalStartMillis() + ":" + a.grade();
    String what = spend ? "spent $" + a.shown(a.observed()) + " against a usual $" + a.shown(a.expected())
        : "sent " + a.shown(a.observed()) + " requests against a usual " + a.shown(a.expected());
    return new Message(id(orgId, key), "cost.anomaly", atMillis, data, null, "Tollgate · org " + orgId + " · "
        + a.grade().name().toLowerCase(Locale.ROOT) + " anomaly: " + a.subject() + " " + what + " this interval"
        + (a.blocked() == null ? "" : "; blocked until " + time(a.blockedUntilMillis())));
  }

  /** A rate limit's refusals in one minute. */
  private static Message rateLimit(String orgId, RateLimitHit h, long atMillis) {
    Map<String, Object> data = data(orgId);
    data.put("scope", h.scope());
    data.put("limit", h.reason().name().toLowerCase(Locale.ROOT));
    data.put("refused", h.count());
    data.put("minute_start", time(h.minuteStartMillis()));
    String key = "rate_limit:" + h.scope() + ":" + h.reason() + ":" + h.minuteStartMillis();
    return new Message(id(orgId, key), "rate_limit.hit", atMillis, data, null, "Tollgate · org " + orgId + " · "
        + h.scope() + ": " + h.count() + " requests refused by " + h.reason().name().toLowerCase(Locale.ROOT)
        + " in the minute from " + time(h.minuteStartMillis()));
  }

  /** A key that expires within seven days: once per key and expiry. */
  static Message keyExpiring(String orgId, String keyId, String name, Instant expiresAt, Instant now) {
    Map<String, Object> data = data(orgId);
    data.put("key_id", keyId);
    data.put("name", name);
    data.put("expires_at", expiresAt.toString());
    return new Message(id(orgId, "key_expiring:" + keyId + ":" + expiresAt.toEpochMilli()), "key.expiring",
        now.toEpochMilli(), data, null, "Tollgate · org " + orgId + " · key `" + name + "` (" + keyId + ") expires at "
        + expiresAt);
  }

  /** One model's share of a day. */
  record ModelDay(String provider, String model, long requests, long tokens, long costNanos) {}

  /** Yesterday's usage (a UTC day), in total and for its dearest models: once per org and day. */
  static Message dailySummary(String orgId, LocalDate day, List<ModelDay> models, Instant now) {
    long requests = 0;
    long tokens = 0;
    long cost = 0;
    for (ModelDay m : models) {
      requests += m.requests();
      tokens += m.tokens();
      cost = Saturating.add(cost, m.costNanos());
    }
    Map<String, Object> data = data(orgId);
    data.put("day", day.toString());
    data.put("requests", requests);
    data.put("tokens", tokens);
    data.put("cost_usd", Money.formatUsd(cost));
    data.put("top_models", models.stream().sorted(Comparator.comparingLong(ModelDay::costNanos).reversed())
        .limit(5).map(m -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("provider", m.provider());
          row.put("model", m.model());
          row.put("requests", m.requests());
          row.put("tokens", m.tokens());
          row.put("cost_usd", Money.formatUsd(m.costNanos()));
          return row;
        }).toList());
    return new Message(id(orgId, "daily_summary:" + day), "usage.daily_summary", now.toEpochMilli(), data, null,
        "Tollgate · org " + orgId + " · " + day + ": " + requests + " requests, " + tokens + " tokens, $"
        + Money.formatUsd(cost));
  }

  /** A provider failing a share of an org's requests in a window: once per org, provider and window. */
  static Message providerErrorRate(String orgId, String provider, Instant from, Instant to, long requests, long errors) {
    Map<String, Object> data = data(orgId);
    data.put("provider", provider);
    data.put("window_start", from.toString());
    data.put("window_end", to.toString());
    data.put("requests", requests);
    data.put("errors", errors);
    data.put("error_percent", BigDecimal.valueOf(errors * 1000 / requests, 1).toPlainString());
    return new Message(id(orgId, "provider_error_rate:" + provider + ":" + from.toEpochMilli()), "provider.error_rate",
        to.toEpochMilli(), data, null, "Tollgate · org " + orgId + " · " + provider + " failed " + errors + " of "
        + requests + " requests from " + from + " to " + to);
  }

  /**
   * A budget past a threshold, with the forecast at the rate of the period so far: the spend at its end, and
   * when the budget runs out (null: not before the period ends). One message per period and threshold, however
   * often it is journaled.
   */
  private static Message budget(String orgId, BudgetCrossing c, long atMillis) {
    Forecast forecast = Forecast.of(c.spentNanos(), c.budgetNanos(), c.periodStartMillis(), c.periodEndMillis(), atMillis);
    Map<String, Object> data = data(orgId);
    data.put("scope", c.scope());
    data.put("budget", c.budget());
    data.put("threshold_percent", c.percent());
    data.put("spent_usd", Money.formatUsd(c.spentNanos()));
    data.put("budget_usd", Money.formatUsd(c.budgetNanos()));
    data.put("period_start", time(c.periodStartMillis()));
    data.put("period_end", time(c.periodEndMillis()));
    data.put("projected_usd", Money.formatUsd(forecast.projectedNanos()));
    data.put("runs_out_at", forecast.runsOutAtMillis() == null ? null : time(forecast.runsOutAtMillis()));
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
