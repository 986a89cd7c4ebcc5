package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where the proxy and admin API listen ({@code tollgate.http}).
 *
 * @param keepAliveTimeout a client connection with no request open this long is closed
 * @param corsOrigins the browser origins ({@code https://app.example.com}) the proxy routes answer; {@code *}
 *     for any; empty: none, so browsers cannot call the proxy
 */
public record HttpSettings(String host, int port, Duration keepAliveTimeout, List<String> corsOrigins) {
  public HttpSettings {
    corsOrigins = List.copyOf(corsOrigins);
  }

  public static HttpSettings from(Config http) {
    List<String> origins = Arrays.stream(http.getString("cors-origins").split(",")).map(String::trim)
        .filter(o -> !o.isEmpty()).toList();
    HttpSettings settings = new HttpSettings(http.getString("host"), http.getInt("port"),
        http.getDuration("keep-alive-timeout"), origins);
    if (settings.keepAliveTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("TOLLGATE_KEEP_ALIVE_TIMEOUT must be at least 1s.");
    }
    for (String origin : origins) {
      if (!origin.equals("*") && !isOrigin(origin)) {
        throw new IllegalArgumentException("TOLLGATE_CORS_ORIGINS: '" + origin + "' is not an origin; write each as"
            + " scheme://host[:port] with no path, e.g. https://app.example.com, separated by commas, or * for any.");
      }
    }
    return settings;
  }

  private static boolean isOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      return uri.getScheme() != null && uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
          && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
