package io.tollgate.node.request;

import java.util.List;

/**
 * What a request asks of the gateway beyond the call itself, from its headers.
 *
 * @param fallbacks the models it names to fall back on ({@code X-Tollgate-Fallbacks}); null: none
 * @param idempotencyKey the {@code Idempotency-Key} it claimed; null: none (or not claimed yet)
 * @param cache how it asks for the response cache
 * @param traceparent the caller's W3C {@code traceparent}; null: none
 */
public record CallOptions(List<String> fallbacks, String idempotencyKey, ResponseCache.Choice cache, String traceparent) {
  public static final CallOptions NONE = new CallOptions(null, null, ResponseCache.Choice.POLICY, null);

  /** These options, the key claimed. */
  public CallOptions claiming(String key) {
    return new CallOptions(fallbacks, key, cache, traceparent);
  }
}
