package io.tollgate.protocol.provider;

import java.util.Locale;
import java.util.Optional;

/**
 * The upstream providers Tollgate routes to. Each has a path prefix ({@code /openai/...}) and a public base
 * URL written as that provider's SDK writes it; operators override both credential and URL in config.
 */
public enum ProviderId {
  OPENAI("https://api.openai.com/v1");

  private final String defaultBaseUrl;

  ProviderId(String defaultBaseUrl) {
    this.defaultBaseUrl = defaultBaseUrl;
  }

  /** The lowercase name used in routes, config keys, metrics and records. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public static Optional<ProviderId> fromId(String id) {
    for (ProviderId p : values()) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
