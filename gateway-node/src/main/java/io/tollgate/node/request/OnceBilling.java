package io.tollgate.node.request;

import io.tollgate.persistence.billing.BilledOnce;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Bills a batch's results and a background response once, however often and by whichever node they are read:
 * the first request to read them finished claims them in the {@link BilledOnce} table every node shares.
 */
public final class OnceBilling {
  /** The answer of a later read: who was billed. */
  public static final String BILLED_BY = "X-Tollgate-Billed-By";

  private final BilledOnce store;
  private final Executor blocking;
  private final Clock clock;

  public OnceBilling(BilledOnce store, Executor blocking, Clock clock) {
    this.store = store;
    this.blocking = blocking;
    this.clock = clock;
  }

  /** Empty when the call is the first to read its resource (bill it), else the request that was billed. */
  CompletableFuture<Optional<String>> claim(ProxyCall call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return store.claim(call.key().orgId(), call.provider().id().id(), call.endpoint().resource(), call.requestId(),
            clock.millis());
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
