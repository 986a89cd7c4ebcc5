package io.tollgate.node.upstream;

import io.tollgate.protocol.provider.ProviderId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * A provider's deployments, and which one takes the next call: of those available (breaker not open, not
 * cooling down after a 429) and not tried yet for this request, one drawn at random with odds of its weight
 * over its calls in flight: idle deployments share the traffic by weight, a busy one gets less. When none is
 * available the call still goes, to the one that will be soonest: a breaker routes around a failing
 * deployment, it never refuses a request on its own.
 */
public final class ProviderPool {
  /** Odds are weight × SCALE ÷ (calls in flight + 1), in whole numbers. */
  private static final long SCALE = 1_000_000;
  private final ProviderId provider;
  private final List<Deployment> deployments;
  private final LongSupplier clock;

  ProviderPool(ProviderId provider, List<Deployment> deployments, LongSupplier clock) {
    this.provider = provider;
    this.deployments = List.copyOf(deployments);
    this.clock = clock;
  }

  /** A provider's one upstream as a pool (breaker open for 30 s after failures). */
  public static ProviderPool single(UpstreamClient client, LongSupplier clock) {
    ProviderId provider = client.endpoint().provider();
    return new ProviderPool(provider, List.of(new Deployment(provider.id(), client, 1, 30_000, clock)), clock);
  }

  public ProviderId provider() {
    return provider;
  }

  public List<Deployment> deployments() {
    return deployments;
  }

  /**
   * The deployment to send the next call to, its call started; null when every deployment has been tried for
   * this request already (nothing left to retry on).
   */
  public Deployment pick(Set<Deployment> tried) {
    long now = clock.getAsLong();
    for (int attempt = 0; attempt < deployments.size(); attempt++) {
      Deployment chosen = draw(tried, now);
      if (chosen == null) {
        break;
      }
      if (chosen.start()) {
        return chosen;
      }
    }
    Deployment soonest = null;
    for (Deployment d : deployments) {
      if (!tried.contains(d) && (soonest == null || d.readyAtMillis() < soonest.readyAtMillis())) {
        soonest = d;
      }
    }
    if (soonest != null) {
      soonest.force();
    }
    return soonest;
  }

  /** One available deployment not tried, drawn with odds of its weight over its calls in flight (plus one). */
  private Deployment draw(Set<Deployment> tried, long now) {
    long total = 0;
    long[] odds = new long[deployments.size()];
    for (int i = 0; i < odds.length; i++) {
      Deployment d = deployments.get(i);
      if (!tried.contains(d) && d.available(now)) {
        odds[i] = d.weight() * SCALE / (d.inFlight() + 1);
        total += odds[i];
      }
    }
    if (total == 0) {
      return null;
    }
    long ticket = ThreadLocalRandom.current().nextLong(total);
    for (int i = 0; i < odds.length; i++) {
      ticket -= odds[i];
      if (ticket < 0) {
        return deployments.get(i);
      }
    }
    return null;
  }

  void close() {
    deployments.forEach(d -> d.client().close());
  }
}
