package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code tollgate.records}: what the read side keeps. */
public record RecordSettings(Duration requestLogRetention, Duration sessionIdle) {
  public static RecordSettings from(Config records) {
    RecordSettings settings = new RecordSettings(records.getDuration("request-log-retention"),
        records.getDuration("session-idle"));
    if (settings.requestLogRetention.compareTo(Duration.ofDays(31)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_REQUEST_LOG_RETENTION must be at least 31d (it is "
          + settings.requestLogRetention.toDays() + "d): the log is kept and dropped a whole month at a time.");
    }
    if (settings.sessionIdle.isNegative() || settings.sessionIdle.isZero()) {
      throw new IllegalArgumentException("TOLLGATE_SESSION_IDLE must be positive (30m by default).");
    }
    return settings;
  }
}
