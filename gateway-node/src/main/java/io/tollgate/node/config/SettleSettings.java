package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a request settles its usage with its org ({@code tollgate.settle}): retried until acknowledged.
 *
 * @param attemptTimeout the wait for one acknowledgement before asking again
 * @param retryHorizon how long in all a settlement is retried
 */
public record SettleSettings(Duration attemptTimeout, Duration retryHorizon) {
  public static SettleSettings from(Config settle) {
    return new SettleSettings(settle.getDuration("attempt-timeout"), settle.getDuration("retry-horizon"));
  }
}
