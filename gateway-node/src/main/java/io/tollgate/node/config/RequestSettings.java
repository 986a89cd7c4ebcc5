package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What a node allows each request, and how many at once ({@code tollgate.requests}).
 *
 * @param maxInFlight requests a node works on at once, answering or settling; beyond it, 503 at once
 * @param maxSettling answered requests whose usage may wait for the journal at once; beyond it, new requests wait
 * @param upstreamTimeout the longest a provider may take to answer, and the longest a stream may stay silent
 * @param defaultMaxOutputTokens the output held against limits when a request sets no {@code max_tokens}
 * @param answersWaitForJournal a successful answer goes out only once its usage is journaled
 * @param shutdownDrain how long requests in flight may take to finish and settle when the node stops
 */
public record RequestSettings(long maxBodyBytes, int maxInFlight, int maxSettling, Duration upstreamTimeout,
    long defaultMaxOutputTokens, boolean answersWaitForJournal, boolean accessLog, Duration shutdownDrain) {
  public static RequestSettings from(Config requests) {
    RequestSettings settings = new RequestSettings(requests.getBytes("max-body-bytes"), requests.getInt("max-in-flight"),
        requests.getInt("max-settling"), requests.getDuration("upstream-timeout"),
        requests.getLong("default-max-output-tokens"), requests.getBoolean("answers-wait-for-journal"),
        requests.getBoolean("access-log"), requests.getDuration("shutdown-drain"));
    if (settings.maxBodyBytes <= 0 || settings.maxBodyBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("TOLLGATE_MAX_BODY_BYTES must be between 1 and 2 GiB.");
    }
    if (settings.maxSettling < 1) {
      throw new IllegalArgumentException("TOLLGATE_MAX_SETTLING must be at least 1.");
    }
    return settings;
  }
}
