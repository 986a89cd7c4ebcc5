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
  /** Neither the catalog nor the org prices the model, and the org refuses unpriced models; the caller gets 400. */
  UNPRICED_MODEL,
  /** The org actor is too busy to decide (its queue is full); the caller gets 503. */
  OVERLOADED
}
