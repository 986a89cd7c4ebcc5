package io.tollgate.protocol.org;

/** Why an org refused a request. */
public enum DenialReason {
  UNKNOWN_KEY,
  REVOKED_KEY,
  MODEL_NOT_ALLOWED,
  REQUESTS_PER_MINUTE,
  TOKENS_PER_MINUTE,
  MONTHLY_REQUESTS,
  MONTHLY_BUDGET,
  /** The org actor is too busy to decide (its queue is full); the caller gets 503. */
  OVERLOADED
}
