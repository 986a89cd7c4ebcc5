package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the gateway goes around a failing upstream ({@code tollgate.providers.resilience}).
 *
 * @param breakerOpen how long a deployment whose breaker opened gets no calls before one probe
 * @param retries how many more deployments a request may try after the first failed before any byte reached
 *     the client (connection failure, timeout, 5xx, 429)
 * @param retryBackoff the wait before the first retry, doubled for each next one, with jitter
 * @param cooldown how long a deployment that answered 429 without a Retry-After gets no calls
 * @param retryWithin how long after a request's first try a retry may still start: a request waits at most this
 *     and one upstream timeout for its provider (its fallbacks each as long again)
 */
public record Resilience(Duration breakerOpen, int retries, Duration retryBackoff, Duration cooldown,
    Duration retryWithin) {
  static Resilience from(Config c) {
    Resilience r = new Resilience(c.getDuration("breaker-open"), c.getInt("retries"), c.getDuration("retry-backoff"),
        c.getDuration("cooldown"), c.getDuration("retry-within"));
    if (r.breakerOpen.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_BREAKER_OPEN must be at least 1s (30s by default).");
    }
    if (r.retries < 0 || r.retries > 5) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_RETRIES must be from 0 to 5 (2 by default).");
    }
    if (r.retryBackoff.isNegative() || r.retryBackoff.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_RETRY_BACKOFF must be from 0 to 10s (250ms by default).");
    }
    if (r.cooldown.isNegative() || r.cooldown.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_COOLDOWN must be from 0 to 10m (10s by default).");
    }
    if (r.retryWithin.isNegative()) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_RETRY_WITHIN cannot be negative (the upstream timeout by default).");
    }
    return r;
  }
}
