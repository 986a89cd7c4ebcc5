package io.tollgate.node.http;

import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.util.Optional;

/**
 * Which provider and API a proxy path calls, and the path to call upstream (after the provider's base URL).
 * Paths are {@code /{provider}/...} followed by exactly what that provider's SDK appends to its base URL,
 * or the providers' own paths without a prefix: {@code /v1/...} for OpenAI, {@code /v1/messages} for
 * Anthropic, {@code /v1beta/...} for Gemini. Most are POSTs; files, batches and stored resources are also read and
 * deleted.
 */
public record ProxyTarget(Provider provider, Endpoint endpoint, String upstreamPath) {

  /** The target of a POST. */
  public static Optional<ProxyTarget> of(String path) {
    return of("POST", path);
  }

  /** @param method the request's method, {@code POST}, {@code GET}, {@code DELETE} ... */
  public static Optional<ProxyTarget> of(String method, String path) {
    int second = path.indexOf('/', 1);
    if (second > 1) {
      Optional<ProviderId> prefixed = ProviderId.fromId(path.substring(1, second));
      if (prefixed.isPresent()) {
        return resolve(prefixed.get(), method, path.substring(second));
      }
    }
    if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
      return resolve(ProviderId.ANTHROPIC, method, path);
    }
    if (path.startsWith("/v1beta/") || path.startsWith("/v1/models/") && path.contains(":")
        || path.startsWith("/v1/cachedContents")) {
      return resolve(ProviderId.GEMINI, method, path);
    }
    if (path.startsWith("/v1/")) {
      return resolve(ProviderId.OPENAI, method, path.substring(3)); // OpenAI's base URL already ends in /v1
    }
    return Optional.empty();
  }

  /**
   * The error format of the provider a path is for, whether or not it names one of its APIs: an unknown URL
   * under {@code /anthropic/} or {@code /v1/messages} is answered as Anthropic answers; OpenAI's otherwise.
   */
  public static ErrorFormat errorsFor(String path) {
    int second = path.indexOf('/', 1);
    Optional<ProviderId> prefixed = second > 1 ? ProviderId.fromId(path.substring(1, second)) : Optional.empty();
    ProviderId id = prefixed.orElseGet(() -> path.startsWith("/v1/messages") ? ProviderId.ANTHROPIC
        : path.startsWith("/v1beta/") || path.startsWith("/v1/models/") ? ProviderId.GEMINI : ProviderId.OPENAI);
    return Providers.get(id).errors();
  }

  private static Optional<ProxyTarget> resolve(ProviderId id, String method, String upstreamPath) {
    Provider provider = Providers.get(id);
    return provider.endpoint(method, upstreamPath).map(endpoint -> new ProxyTarget(provider, endpoint, upstreamPath));
  }
}
