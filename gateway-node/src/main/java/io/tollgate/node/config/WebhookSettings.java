package io.tollgate.node.config;

import com.typesafe.config.Config;
import io.tollgate.node.webhook.WebhookTargets;
import java.time.Duration;

/**
 * {@code tollgate.webhooks}: which targets deliveries may go to, and how they are sent.
 *
 * @param noticesEvery how often each node looks for the messages time makes (keys expiring, daily summaries,
 *     provider error rates)
 */
public record WebhookSettings(WebhookTargets targets, Duration timeout, Duration poll, int maxInFlight,
    Duration noticesEvery) {
  public static WebhookSettings from(Config webhooks) {
    WebhookSettings settings = new WebhookSettings(
        new WebhookTargets(webhooks.getBoolean("allow-http"), webhooks.getBoolean("allow-private")),
        webhooks.getDuration("timeout"), webhooks.getDuration("poll"), webhooks.getInt("max-in-flight"),
        webhooks.getDuration("notices-every"));
    if (settings.timeout.compareTo(Duration.ofSeconds(1)) < 0 || settings.timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("TOLLGATE_WEBHOOK_TIMEOUT must be between 1s and 1m (it is "
          + settings.timeout.toMillis() + " ms): an attempt holds its delivery that long.");
    }
    if (settings.poll.isNegative() || settings.poll.isZero()) {
      throw new IllegalArgumentException("TOLLGATE_WEBHOOK_POLL must be positive (1s by default).");
    }
    if (settings.noticesEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_WEBHOOK_NOTICES_EVERY must be at least 1s (1m by default).");
    }
    if (settings.maxInFlight < 1) {
      throw new IllegalArgumentException("TOLLGATE_WEBHOOK_MAX_IN_FLIGHT must be at least 1 (64 by default).");
    }
    return settings;
  }
}
