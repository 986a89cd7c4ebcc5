package io.tollgate.protocol.org;

import io.tollgate.protocol.provider.ErrorKind;

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
  OVERLOADED,
  REQUESTS_PER_HOUR,
  REQUESTS_PER_DAY,
  TOKENS_PER_HOUR,
  TOKENS_PER_DAY,
  DAILY_BUDGET,
  /** A header named another team, customer or user than the key is bound to; the caller gets 403. */
  BINDING_CONFLICT,
  /** The org tracks as many scope values as it may, and a limit applies to this new one; the caller gets 429. */
  TOO_MANY_SCOPE_VALUES,
  /** The org is disabled by its administrator; the caller gets 403. */
  ORG_DISABLED,
  /** The key's {@code expires_at} has passed; the caller gets 401. */
  EXPIRED_KEY,
  /** The agent or key is blocked after a spend anomaly, until its block ends or an admin lifts it; 403. */
  BLOCKED;

  /** The refusal of passing a limit of this window and measure. */
  public static DenialReason of(Window window, LimitMeasure measure) {
    return switch (measure) {
      case REQUESTS -> switch (window) {
        case MINUTE -> REQUESTS_PER_MINUTE;
        case HOUR -> REQUESTS_PER_HOUR;
        case DAY -> REQUESTS_PER_DAY;
        case MONTH -> MONTHLY_REQUESTS;
      };
      case TOKENS -> switch (window) {
        case MINUTE -> TOKENS_PER_MINUTE;
        case HOUR -> TOKENS_PER_HOUR;
        default -> TOKENS_PER_DAY;
      };
      case BUDGET -> window == Window.DAY ? DAILY_BUDGET : MONTHLY_BUDGET;
    };
  }

  /** The kind of error the caller gets, which fixes its HTTP status. */
  public ErrorKind errorKind() {
    return switch (this) {
      case UNKNOWN_KEY, REVOKED_KEY, EXPIRED_KEY -> ErrorKind.INVALID_KEY;
      case ORG_DISABLED, BINDING_CONFLICT, BLOCKED -> ErrorKind.FORBIDDEN;
      case MODEL_NOT_ALLOWED -> ErrorKind.MODEL_NOT_ALLOWED;
      case UNPRICED_MODEL -> ErrorKind.INVALID_REQUEST;
      case REQUESTS_PER_MINUTE, REQUESTS_PER_HOUR, REQUESTS_PER_DAY, TOO_MANY_SCOPE_VALUES, TOKENS_PER_MINUTE,
          TOKENS_PER_HOUR, TOKENS_PER_DAY -> ErrorKind.RATE_LIMITED;
      case MONTHLY_REQUESTS, MONTHLY_BUDGET, DAILY_BUDGET -> ErrorKind.QUOTA_EXCEEDED;
      case OVERLOADED -> ErrorKind.UNAVAILABLE;
    };
  }

  /** True for a quota or budget: retrying soon cannot succeed. */
  public boolean exhausted() {
    return this == MONTHLY_REQUESTS || this == MONTHLY_BUDGET || this == DAILY_BUDGET;
  }
}
