package io.tollgate.protocol.provider;

/** Every way the gateway itself refuses or fails a request, with the HTTP status each maps to. */
public enum ErrorKind {
  INVALID_REQUEST(400),
  INVALID_KEY(401),
  MODEL_NOT_ALLOWED(403),
  PROVIDER_NOT_CONFIGURED(403),
  /** The key may not make this request (a header contradicts its binding, its org is disabled). */
  FORBIDDEN(403),
  NOT_FOUND(404),
  /** A request with the Idempotency-Key of one still in flight (its client asked not to wait), or of one whose answer was not kept. */
  IDEMPOTENCY_CONFLICT(409),
  /** An Idempotency-Key used before for a different request. */
  IDEMPOTENCY_MISMATCH(422),
  BODY_TOO_LARGE(413),
  RATE_LIMITED(429),
  QUOTA_EXCEEDED(429),
  INTERNAL(500),
  UPSTREAM_FAILURE(502),
  UNAVAILABLE(503),
  UPSTREAM_TIMEOUT(504);

  private final int status;

  ErrorKind(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
