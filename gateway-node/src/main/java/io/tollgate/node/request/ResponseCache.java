package io.tollgate.node.request;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tollgate.persistence.cache.ResponseCacheStore;
import io.tollgate.persistence.cache.ResponseCacheStore.Entry;
import io.tollgate.persistence.idempotency.IdempotencyStore.Stored;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.Endpoint.Billing;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.RateLimitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact response cache for a node, over the {@link ResponseCacheStore} every node shares: a request's key is
 * the hash of its canonical form (provider, path, and its JSON body with every object's keys sorted: the model and
 * every parameter), looked up within its org only; a successful answer is kept for the TTL its policy or header
 * says, up to a size. A lookup that fails is a miss, a store that fails is logged: the cache never fails a request.
 */
public final class ResponseCache {
  public static final String HEADER = "X-Tollgate-Cache";
  private static final ObjectWriter CANONICAL = Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);

  private final ResponseCacheStore store;
  private final Executor blocking;
  private final Clock clock;
  private final Duration defaultTtl;
  private final long maxBytes;

  /** How a request asks for the cache: as its policy says, {@code X-Tollgate-Cache: use}, or {@code Cache-Control: no-cache}. */
  public enum Choice { POLICY, USE, BYPASS }

  public ResponseCache(ResponseCacheStore store, Executor blocking, Clock clock, Duration defaultTtl, long maxBytes) {
    this.store = store;
    this.blocking = blocking;
    this.clock = clock;
    this.defaultTtl = defaultTtl;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** How long the answer to this call is cached, or null for not at all. */
  Duration ttl(ProxyCall call, Long policyTtlSeconds) {
    if (!call.endpoint().metered() || call.endpoint().billing() != Billing.PER_CALL
        || call.options().cache() == Choice.BYPASS) {
      return null;
    }
    if (policyTtlSeconds != null) {
      return Duration.ofSeconds(policyTtlSeconds);
    }
    return call.options().cache() == Choice.USE ? defaultTtl : null;
  }

  /** The key of the call's request: its provider, path and canonical body. */
  static byte[] key(ProxyCall call) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((call.provider().id().id() + ' ' + call.upstreamPath() + ' ').getBytes(StandardCharsets.UTF_8));
      Object body = Json.MAPPER.readValue(call.clientBody(), Object.class);
      sha.update(CANONICAL.writeValueAsBytes(body));
      return sha.digest();
    } catch (IOException e) {
      return null; // not JSON: not cached
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  CompletionStage<Optional<Entry>> find(String orgId, byte[] key) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return store.find(orgId, key, clock.millis());
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking).exceptionally(failure -> {
      log.atWarn().setCause(failure).addKeyValue("org", orgId).log("response cache lookup failed; served as a miss");
      return Optional.empty();
    });
  }

  /** Keeps a successful answer, unless it is larger than the most kept. */
  void put(ProxyCall call, byte[] key, Duration ttl, Stored answer, String model, long costNanos) {
    if (answer.body() == null || answer.body().length > maxBytes) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      try {
        store.put(call.key().orgId(), key, new Entry(answer.status(), answer.contentType(), answer.headers(),
            answer.body(), model, costNanos), clock.millis(), ttl.toMillis());
      } catch (SQLException | RuntimeException e) {
        log.atWarn().setCause(e).addKeyValue("request_id", call.requestId()).log("response cache store failed");
      }
    }, blocking);
  }

  /** The kept answer as this request's: its own request id and limits, no cost, and what served it first. */
  static HttpResponse replay(Entry entry, String requestId, RateLimitStatus limits, long now) {
    List<HttpHeader> headers = GatewayResponses.responseHeaders(List.of(), requestId, limits, now);
    for (String line : entry.headers().split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0 && line.startsWith(GatewayResponses.SERVED_BY)) {
        headers.add(RawHeader.create(GatewayResponses.SERVED_BY, line.substring(colon + 2)));
      }
    }
    headers.add(RawHeader.create(GatewayResponses.COST, Money.formatUsd(0)));
    headers.add(RawHeader.create(HEADER, "hit"));
    return HttpResponse.create().withStatus(entry.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.parse(entry.contentType()), entry.body()));
  }

  /** Deletes the expired answers; run every few minutes by every node. */
  public void sweep() {
    try {
      store.sweep(clock.millis());
    } catch (SQLException e) {
      log.atWarn().setCause(e).log("expired cache entries could not be deleted; trying again later");
    }
  }
}
