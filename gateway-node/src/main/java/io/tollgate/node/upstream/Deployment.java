package io.tollgate.node.upstream;

import io.tollgate.node.config.ProviderEndpoint;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One upstream of a provider (a region, an account, a key): its connection pool, its weight, the requests it
 * has in flight, its circuit breaker, and how long it cools down after a 429.
 */
public final class Deployment {
  private final String name;
  private final UpstreamClient client;
  private final int weight;
  private final CircuitBreaker breaker;
  private final LongSupplier clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile long coolingUntil;

  /** How a call to a deployment went, as its health counts it. */
  public enum Result {
    /** Answered, and not with a server error. */
    ANSWERED,
    /** A 5xx, a connection failure or a timeout: counts against the breaker. */
    FAILED,
    /** A 429: the deployment cools down, its health is not in question. */
    RATE_LIMITED,
    /** The call ended without saying (the client went away). */
    UNKNOWN
  }

  Deployment(String name, UpstreamClient client, int weight, long openMillis, LongSupplier clock) {
    this.name = name;
    this.client = client;
    this.weight = weight;
    this.breaker = new CircuitBreaker(openMillis, clock);
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  public UpstreamClient client() {
    return client;
  }

  public ProviderEndpoint endpoint() {
    return client.endpoint();
  }

  public int weight() {
    return weight;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public long coolingUntilMillis() {
    return coolingUntil;
  }

  public long requests() {
    return requests.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /** When it may take calls again: after its cooldown and its breaker's open period. */
  long readyAtMillis() {
    return Math.max(coolingUntil, breaker.reopensAtMillis());
  }

  /** True if the pool may send it a call now: its breaker lets calls through and it is not cooling down. */
  boolean available(long now) {
    return now >= coolingUntil && breaker.allows();
  }

  /** Takes a call: false if the breaker (half-open, its probe out) refuses it after all. */
  boolean start() {
    if (!breaker.tryAcquire()) {
      return false;
    }
    inFlight.incrementAndGet();
    requests.increment();
    return true;
  }

  /** Starts a call whatever the breaker says: every deployment is unavailable and this one is the least so. */
  void force() {
    inFlight.incrementAndGet();
    requests.increment();
  }

  /** The call started here ended; {@code retryAfterMillis} is the 429's wait, if it said one. */
  public void finished(Result result, long retryAfterMillis) {
    inFlight.decrementAndGet();
    switch (result) {
      case ANSWERED -> breaker.succeeded();
      case FAILED -> {
        failures.increment();
        breaker.failed();
      }
      case RATE_LIMITED -> {
        breaker.released();
        coolingUntil = Math.max(coolingUntil, clock.getAsLong() + retryAfterMillis);
      }
      case UNKNOWN -> breaker.released();
    }
  }
}
