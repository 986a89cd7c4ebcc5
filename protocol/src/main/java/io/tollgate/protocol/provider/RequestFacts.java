package io.tollgate.protocol.provider;

import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.pricing.Units;

/**
 * What the gateway needs to know about a request before sending it upstream.
 *
 * @param model the requested model
 * @param stream whether the client asked for a streamed answer
 * @param clientWantsStreamUsage whether the client itself asked for usage in the stream
 * @param streamOptionsPresent whether the body already carries a {@code stream_options} object
 * @param maxOutputTokens the client's output cap, or null when it set none
 * @param user the OpenAI {@code user} field, or null
 * @param units the pieces the request asks for that are billed by the piece (images, characters to speak), with
 *     the name their price is under; null for none
 * @throws InvalidRequestException for a model name that is not safe text or too long, or an output cap over
 *     {@link #MAX_OUTPUT_TOKENS}: every request inspector builds its facts here, so each refuses them alike
 */
public record RequestFacts(
    String model,
    boolean stream,
    boolean clientWantsStreamUsage,
    boolean streamOptionsPresent,
    Long maxOutputTokens,
    String user,
    Units units) {
  /** Far above any model's output; keeps every sum of tokens and every price of them far from overflow. */
  public static final long MAX_OUTPUT_TOKENS = 1_000_000_000L;
  public static final int MAX_MODEL_LENGTH = 256;

  public RequestFacts {
    if (model != null && (!SafeText.isSafe(model) || model.length() > MAX_MODEL_LENGTH)) {
      throw new InvalidRequestException("The model name must be 1-" + MAX_MODEL_LENGTH
          + " printable characters (no control characters or unpaired surrogates).");
    }
    if (maxOutputTokens != null && maxOutputTokens > MAX_OUTPUT_TOKENS) {
      throw new InvalidRequestException("The output token cap (max_tokens) must be an integer from 0 to "
          + MAX_OUTPUT_TOKENS + ".");
    }
    if (user != null && !SafeText.isSafe(user)) {
      user = null; // the end user is attribution only: dropped, not refused, as with any unusable value
    }
  }

  /** Facts of a request billed by the token only. */
  public RequestFacts(String model, boolean stream, boolean clientWantsStreamUsage, boolean streamOptionsPresent,
      Long maxOutputTokens, String user) {
    this(model, stream, clientWantsStreamUsage, streamOptionsPresent, maxOutputTokens, user, null);
  }
}
