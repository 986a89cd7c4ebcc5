package io.tollgate.node.request;

import io.tollgate.persistence.GroupCommit;
import io.tollgate.persistence.idempotency.IdempotencyStore;
import io.tollgate.persistence.idempotency.IdempotencyStore.Claim;
import io.tollgate.persistence.idempotency.IdempotencyStore.Stored;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} for a node: claims keys, stores the answers of the requests that claimed them, releases
 * the claims of those that failed, and replays stored answers, over the {@link IdempotencyStore} every node
 * shares. Its writes share transactions with other requests' ({@link GroupCommit}: one commit's flush to disk for
 * many); a store or release that fails is logged, never the request's failure (the claim goes stale and is taken
 * over).
 */
public final class IdempotentAnswers {
  public static final String KEY_HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  public static final int MAX_KEY_LENGTH = 255;
  /** The gateway's headers an answer is kept and replayed with, beside its type; the provider's are not kept. */
  private static final List<String> KEPT = List.of(GatewayResponses.REQUEST_ID, GatewayResponses.COST,
      GatewayResponses.SERVED_BY);
  private static final Logger log = LoggerFactory.getLogger(IdempotentAnswers.class);

  private final IdempotencyStore store;
  private final GroupCommit writes;
  private final Clock clock;
  private final Duration ttl;
  private final long maxBytes;
  /** How old a claim must be to be taken over: its request has surely ended, or its node died. */
  private final Duration stale;

  public IdempotentAnswers(IdempotencyStore store, GroupCommit writes, Clock clock, Duration ttl, long maxBytes,
      Duration stale) {
    this.store = store;
    this.writes = writes;
    this.clock = clock;
    this.ttl = ttl;
    this.maxBytes = maxBytes;
    this.stale = stale;
  }

  /** What a request to {@code path} with this body, carrying {@code key}, finds. */
  public CompletionStage<Claim> claim(String orgId, String key, String path, byte[] body) {
    byte[] hash = hash(path, body);
    long now = clock.millis();
    return writes.submit(c -> store.claim(c, orgId, key, hash, now, ttl.toMillis(), stale.toMillis()));
  }

  /** The most an answer may be to be kept. */
  long maxBytes() {
    return maxBytes;
  }

  /** The claim of a request that succeeded: its answer, for repeats (none if larger than the most kept). */
  void store(ProxyCall call, Stored answer) {
    if (answer.body() != null && answer.body().length > maxBytes) {
      answer = new Stored(answer.requestId(), answer.status(), answer.contentType(), answer.headers(), null);
    }
    Stored kept = answer;
    run(call, c -> store.store(c, call.key().orgId(), call.idempotencyKey(), kept), "store");
  }

  /** The claim of a request that failed or was refused: the next with the key goes ahead. */
  public void release(ProxyCall call) {
    run(call, c -> store.release(c, call.key().orgId(), call.idempotencyKey()), "release");
  }

  /**
   * An answer as it is kept (for its Idempotency-Key, or the response cache): its status, type, the gateway's
   * headers, and its bytes ({@code body} null: more than was recorded).
   */
  Stored answer(String requestId, int status, ContentType type, Iterable<HttpHeader> headers, byte[] body) {
    StringBuilder kept = new StringBuilder();
    for (HttpHeader h : headers) {
      for (String name : KEPT) {
        if (h.name().equalsIgnoreCase(name)) {
          kept.append(name).append(": ").append(h.value()).append('\n');
        }
      }
    }
    return new Stored(requestId, status, type.toString(), kept.toString(), body);
  }

  /** A stored answer as a repeat gets it: the same status, type and bytes (a stream as the same events). */
  public static HttpResponse replay(Stored answer) {
    List<HttpHeader> headers = new ArrayList<>();
    for (String line : answer.headers().split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        headers.add(RawHeader.create(line.substring(0, colon), line.substring(colon + 2)));
      }
    }
    headers.add(RawHeader.create(REPLAYED, "true"));
    ContentType type = ContentTypes.parse(answer.contentType());
    return HttpResponse.create().withStatus(answer.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(type, answer.body()));
  }

  /** Deletes the expired keys; run every few minutes by every node (deleting twice is harmless). */
  public void sweep() {
    long now = clock.millis();
    writes.submit(c -> store.sweep(c, now)).whenComplete((deleted, e) -> {
      if (e != null) {
        log.atWarn().setCause(e).log("expired idempotency keys could not be deleted; trying again later");
      }
    });
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void run(ProxyCall call, Work work, String what) {
    writes.submit(c -> {
      work.run(c);
      return null;
    }).whenComplete((done, e) -> {
      if (e != null) {
        log.atWarn().setCause(e).addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
            .log("idempotency key " + what + " failed; its claim is taken over once stale");
      }
    });
  }

  /** Which request a key was used for: the path and the body. */
  static byte[] hash(String path, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(path.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(body);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
