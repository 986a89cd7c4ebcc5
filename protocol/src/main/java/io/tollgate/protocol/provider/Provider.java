package io.tollgate.protocol.provider;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the gateway knows about one provider, found through {@link Providers}: how its clients present
 * keys, how the gateway presents its own credential upstream, how its errors look, and which of its paths
 * are which API.
 *
 * @param clientKeys where a client's Tollgate key may be, in order of preference
 * @param upstreamAuth where the gateway puts the provider credential
 * @param clientHeaders the request headers (lowercase) this provider's API defines for clients, the only ones
 *     passed upstream: never one that routes or bills (OpenAI-Organization, OpenAI-Project, X-Forwarded-For)
 */
public record Provider(ProviderId id, List<KeyPlacement> clientKeys, KeyPlacement upstreamAuth, ErrorFormat errors,
    Endpoints endpoints, Set<String> clientHeaders) {

  /** Maps a method ({@code POST}, {@code GET} ...) and path (after the provider's base URL) to the API it calls. */
  @FunctionalInterface
  public interface Endpoints {
    Optional<Endpoint> resolve(String method, String path);
  }

  public Optional<Endpoint> endpoint(String method, String path) {
    return endpoints.resolve(method, path);
  }

  /** The API a POST to {@code path} calls. */
  public Optional<Endpoint> endpoint(String path) {
    return endpoints.resolve("POST", path);
  }
}
