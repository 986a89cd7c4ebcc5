package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Where the proxy and admin API listen ({@code tollgate.http}).
 *
 * @param keepAliveTimeout a client connection with no request open this long is closed
 */
public record HttpSettings(String host, int port, Duration keepAliveTimeout) {
  public static HttpSettings from(Config http) {
    HttpSettings settings = new HttpSettings(http.getString("host"), http.getInt("port"), http.getDuration("keep-alive-timeout"));
    if (settings.keepAliveTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_KEEP_ALIVE_TIMEOUT must be at least 1s.");
    }
    return settings;
  }
}
