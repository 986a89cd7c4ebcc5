package io.tollgate.node.config;

import io.tollgate.protocol.provider.ProviderId;
import java.net.URI;

/**
 * Where a provider lives and the gateway's own credential for it.
 *
 * @param basePath the base URL's path, e.g. {@code /v1}, that route suffixes are appended to
 * @param configured whether the operator set this provider up: a credential, or a base URL of their own
 *     (a local model server or the simulator needs no key)
 */
public record ProviderEndpoint(
    ProviderId provider, boolean https, String host, int port, String basePath, String apiKey, boolean configured) {

  /** A provider the operator has not set up: no base URL of its own (Azure) and no key. */
  public static ProviderEndpoint unconfigured(ProviderId provider) {
    return new ProviderEndpoint(provider, true, "unconfigured.invalid", 443, "", null, false);
  }

  public static ProviderEndpoint of(ProviderId provider, String baseUrl, String apiKey) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return unconfigured(provider);
    }
    URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("base URL of " + provider.id() + " must be http(s)://host[:port][/path]: " + baseUrl);
    }
    boolean https = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String key = apiKey == null || apiKey.isBlank() ? null : apiKey;
    boolean custom = provider.defaultBaseUrl() == null || !baseUrl.equals(provider.defaultBaseUrl());
    return new ProviderEndpoint(provider, https, uri.getHost(), port, uri.getRawPath() == null ? "" : uri.getRawPath(),
        key, key != null || custom);
  }

  /** Never the credential. */
  @Override
  public String toString() {
    return provider.id() + "=" + (https ? "https" : "http") + "://" + host + ":" + port + basePath
        + (apiKey == null ? " (no key)" : " (key set)");
  }
}
