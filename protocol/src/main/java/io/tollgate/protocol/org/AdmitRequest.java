package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;

/**
 * A request for admission, with what it could use at most.
 *
 * @param secretHash the HMAC of the presented secret, computed by the node that received the request
 * @param reservedTokens the tokens to hold against the per-minute token limit until settled
 * @param reservedCostNanos the most the request can cost at catalog prices, held against the monthly budget
 *     until settled (the org recomputes it when it has its own price for the model)
 * @param basis what the hold was computed from
 * @param answerByMillis when the requester stops waiting (it answers 503 then); an admission decided later
 *     would hold quota for a request no one will settle, so the org refuses it. 0 for no deadline.
 * @param attempt 1, or more when the requester asks again after an ask went unanswered (the org's node may
 *     have died); the org answers a repeated ask with the hold it already gave that request, if any
 * @param attribution who the request is for, from its headers: the scopes whose limits it counts in
 * @param provider the provider it is for ({@code openai}), for the record of a refusal; null in tests
 * @param fallbacks the models the request itself names to fall back on ({@code X-Tollgate-Fallbacks}), in place
 *     of its key's or org's; null when it names none
 */
public record AdmitRequest(
    String requestId, String keyId, String secretHash, String model, long reservedTokens, long reservedCostNanos,
    HoldBasis basis, long answerByMillis, int attempt, Attribution attribution, String provider,
    List<String> fallbacks)
    implements CborSerializable {

  public AdmitRequest {
    attribution = attribution == null ? Attribution.NONE : attribution;
    fallbacks = fallbacks == null ? null : List.copyOf(fallbacks);
  }

  /** An ask without fallbacks of its own. */
  public AdmitRequest(String requestId, String keyId, String secretHash, String model, long reservedTokens,
      long reservedCostNanos, HoldBasis basis, long answerByMillis, int attempt, Attribution attribution,
      String provider) {
    this(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, basis, answerByMillis, attempt,
        attribution, provider, null);
  }

  /** A first ask. */
  public AdmitRequest(String requestId, String keyId, String secretHash, String model, long reservedTokens,
      long reservedCostNanos, HoldBasis basis, long answerByMillis, Attribution attribution) {
    this(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, basis, answerByMillis, 1, attribution,
        null);
  }

  /** A first ask for no one in particular. */
  public AdmitRequest(String requestId, String keyId, String secretHash, String model, long reservedTokens,
      long reservedCostNanos, HoldBasis basis, long answerByMillis) {
    this(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, basis, answerByMillis, 1, null, null);
  }

  /** The same request asked again, to be answered by {@code answerByMillis}. */
  public AdmitRequest again(long answerByMillis) {
    return new AdmitRequest(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, basis, answerByMillis,
        attempt + 1, attribution, provider, fallbacks);
  }

  /** The same request for someone else (tests). */
  public AdmitRequest forWhom(Attribution whom) {
    return new AdmitRequest(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, basis, answerByMillis,
        attempt, whom, provider, fallbacks);
  }

  public boolean repeated() {
    return attempt > 1;
  }

  /**
   * What a hold was computed from, so an org with its own price for the model can recompute it.
   *
   * @param catalogModel the catalog's name for the requested model, or null if the catalog has no price for it
   * @param promptTokens the most tokens the prompt can be
   * @param outputTokens the most tokens the answer can be: the request's max_tokens, or the gateway's default
   * @param outputDefaulted true when the request set no max_tokens: the org may hold less output, sized from
   *     what its answers of the model used
   * @param inputPerMtok the catalog's dearest input-side price, nano-USD per million tokens (0: unpriced)
   * @param outputPerMtok the catalog's dearest output-side price
   */
  public record HoldBasis(String catalogModel, long promptTokens, long outputTokens, boolean outputDefaulted,
      long inputPerMtok, long outputPerMtok) implements CborSerializable {
    /** A hold whose output is the request's own cap: never resized. */
    public HoldBasis(String catalogModel, long promptTokens, long outputTokens) {
      this(catalogModel, promptTokens, outputTokens, false, 0, 0);
    }
  }

  /** A request whose model the catalog prices under its own name, without a deadline (tests, unmetered calls). */
  public AdmitRequest(String requestId, String keyId, String secretHash, String model, long reservedTokens,
      long reservedCostNanos) {
    this(requestId, keyId, secretHash, model, reservedTokens, reservedCostNanos, new HoldBasis(model, 0, 0), 0);
  }
}
