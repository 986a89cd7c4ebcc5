package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * One refused request of a known key, and why: what the denial log shows. Refusals of unknown keys are only
 * counted ({@link DenialCount}): a flood of made-up keys has no one to be charged to.
 *
 * @param scope the {@link ScopeKey#id()} whose limit refused it, or null when no limit did (a revoked key)
 * @param limit the limit it would have passed ({@code monthly_budget_usd}, {@code models:gpt-4o* requests_per_minute}),
 *     or null
 */
public record Denial(String requestId, long atMillis, String keyId, String provider, String model,
    DenialReason reason, String scope, String limit, Attribution attribution) implements CborSerializable {

  public Denial {
    attribution = attribution == null ? Attribution.NONE : attribution;
  }

  /** The HTTP status the caller got. */
  public int status() {
    return reason.errorKind().status();
  }
}
