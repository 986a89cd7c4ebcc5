package io.tollgate.node.upstream;

import io.tollgate.node.config.ProviderEndpoint;
import io.tollgate.protocol.provider.ProviderId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/** One {@link UpstreamClient} per configured provider. */
public final class Upstreams {
  private final Map<ProviderId, UpstreamClient> clients = new EnumMap<>(ProviderId.class);

  public Upstreams(ActorSystem<?> system, Map<ProviderId, ProviderEndpoint> endpoints) {
    endpoints.forEach((id, endpoint) -> {
      if (endpoint.configured()) {
        clients.put(id, new UpstreamClient(system, endpoint));
      }
    });
  }

  /** Empty when the operator has not configured this provider. */
  public Optional<UpstreamClient> of(ProviderId provider) {
    return Optional.ofNullable(clients.get(provider));
  }

  public void close() {
    clients.values().forEach(UpstreamClient::close);
  }
}
