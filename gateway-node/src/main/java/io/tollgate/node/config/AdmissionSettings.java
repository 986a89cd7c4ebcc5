package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long a request waits for its org to admit it ({@code tollgate.admission}).
 *
 * @param timeout the wait for one answer; unanswered, the request asks again
 * @param retryHorizon how long in all a request asks an org that does not answer before a 503; 0 asks once
 */
public record AdmissionSettings(Duration timeout, Duration retryHorizon) {
  public static AdmissionSettings from(Config admission) {
    AdmissionSettings settings = new AdmissionSettings(admission.getDuration("timeout"), admission.getDuration("retry-horizon"));
    if (settings.retryHorizon.isNegative()) {
      throw new IllegalArgumentException("TOLLGATE_ADMISSION_RETRY_HORIZON must not be negative (0 asks the org once).");
    }
    return settings;
  }

  /** The longest a request may wait for its admission, all asks together. */
  public Duration longestWait() {
    return timeout.compareTo(retryHorizon) >= 0 ? timeout : retryHorizon;
  }
}
