package io.tollgate.node.upstream;

import io.tollgate.node.config.DeploymentConfig;
import io.tollgate.node.config.ProviderSettings;
import io.tollgate.node.config.Resilience;
import io.tollgate.protocol.provider.ProviderId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/** The deployments of every configured provider, one {@link ProviderPool} each. */
public final class Upstreams {
  private final Map<ProviderId, ProviderPool> pools = new EnumMap<>(ProviderId.class);

  public Upstreams(ActorSystem<?> system, ProviderSettings providers, Clock clock) {
    Resilience resilience = providers.resilience();
    providers.deployments().forEach((id, configs) -> {
      List<Deployment> deployments = new ArrayList<>();
      for (DeploymentConfig d : configs) {
        deployments.add(new Deployment(d.name(), new UpstreamClient(system, d.endpoint()), d.weight(),
            resilience.breakerOpen().toMillis(), clock::millis));
      }
      if (!deployments.isEmpty()) {
        pools.put(id, new ProviderPool(id, deployments, clock::millis));
      }
    });
  }

  /** Empty when the operator has not configured this provider. */
  public Optional<ProviderPool> of(ProviderId provider) {
    return Optional.ofNullable(pools.get(provider));
  }

  /** Every configured provider's pool, in the providers' order. */
  public List<ProviderPool> all() {
    return List.copyOf(pools.values());
  }

  public void close() {
    pools.values().forEach(ProviderPool::close);
  }
}
