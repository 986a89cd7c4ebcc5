package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * Where a request leaves its caller, for the {@code x-ratelimit-*} and budget headers: the tightest request
 * and token limits of any scope it counts in and when each resets, and the tightest budget. A null limit is
 * unlimited.
 *
 * @param budgetScope the {@link ScopeKey#id()} of the tightest budget, null when no budget applies
 */
public record RateLimitStatus(
    Long requestLimit, long requestsRemaining, Long tokenLimit, long tokensRemaining, long resetAtMillis,
    long tokensResetAtMillis, String budgetScope, Long budgetRemainingNanos)
    implements CborSerializable {
  public static final RateLimitStatus NONE = new RateLimitStatus(null, 0, null, 0, 0, 0, null, null);

  /** Rate limits only, both resetting at once. */
  public RateLimitStatus(Long requestLimit, long requestsRemaining, Long tokenLimit, long tokensRemaining,
      long resetAtMillis) {
    this(requestLimit, requestsRemaining, tokenLimit, tokensRemaining, resetAtMillis, resetAtMillis, null, null);
  }
}
