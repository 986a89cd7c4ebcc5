package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tollgate.records}: what the read side keeps, and the answers kept for {@code Idempotency-Key}.
 *
 * @param idempotencyTtl how long a key's answer is replayed
 * @param idempotencyMaxBytes the largest answer kept; a larger one is not replayed (a repeat gets a 409)
 * @param cacheTtl how long an answer is cached for a request that asks with {@code X-Tollgate-Cache: use} when
 *     its policy names no TTL
 * @param cacheMaxBytes the largest answer the response cache keeps
 * @param readModels whether this node may run the read models' projections (the cluster role {@link #READ_MODELS})
 */
public record RecordSettings(Duration requestLogRetention, Duration sessionIdle, Duration idempotencyTtl,
    long idempotencyMaxBytes, Duration cacheTtl, long cacheMaxBytes, boolean readModels) {
  /** The cluster role of the nodes that may run the projections. */
  public static final String READ_MODELS = "read-models";

  public static RecordSettings from(Config records) {
    RecordSettings settings = new RecordSettings(records.getDuration("request-log-retention"),
        records.getDuration("session-idle"), records.getDuration("idempotency-ttl"),
        records.getBytes("idempotency-max-bytes"), records.getDuration("cache-ttl"), records.getBytes("cache-max-bytes"),
        readModels(records));
    if (settings.cacheTtl.compareTo(Duration.ofSeconds(1)) < 0 || settings.cacheMaxBytes < 1024) {
      throw new IllegalArgumentException("TOLLGATE_CACHE_TTL must be at least 1s and TOLLGATE_CACHE_MAX_BYTES at least"
          + " 1KiB (1h and 1MiB by default).");
    }
    if (settings.idempotencyTtl.compareTo(Duration.ofMinutes(1)) < 0 || settings.idempotencyMaxBytes < 1024) {
      throw new IllegalArgumentException("TOLLGATE_IDEMPOTENCY_TTL must be at least 1m and TOLLGATE_IDEMPOTENCY_MAX_BYTES"
          + " at least 1KiB (24h and 1MiB by default).");
    }
    if (settings.requestLogRetention.compareTo(Duration.ofDays(31)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_REQUEST_LOG_RETENTION must be at least 31d (it is "
          + settings.requestLogRetention.toDays() + "d): the log is kept and dropped a whole month at a time.");
    }
    if (settings.sessionIdle.isNegative() || settings.sessionIdle.isZero()) {
      throw new IllegalArgumentException("TOLLGATE_SESSION_IDLE must be positive (30m by default).");
    }
    return settings;
  }

  private static boolean readModels(Config records) {
    try {
      return records.getBoolean("read-models");
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new IllegalArgumentException("TOLLGATE_READ_MODELS must be on or off, not '"
          + records.getString("read-models") + "'.");
    }
  }
}
