package io.tollgate.protocol.org;

/** How a proxied request ended. Only {@code COMPLETED} with a 2xx status is a success. */
public enum Outcome {
  /** The upstream answered and the whole answer reached the client. */
  COMPLETED,
  /** The upstream answered with an error status; the client got that error. */
  UPSTREAM_ERROR,
  /** The upstream could not be reached or failed before answering. */
  UPSTREAM_UNREACHABLE,
  /** The upstream did not answer in time. */
  UPSTREAM_TIMEOUT,
  /** The upstream's stream broke off before its end. */
  UPSTREAM_CUT,
  /** The client went away before the answer was complete; the upstream call was cancelled. */
  CLIENT_DISCONNECTED,
  /**
   * The gateway ended the stream because its running cost reached a budget ({@code budget_enforcement:
   * stop_stream}): the client got a well-formed end of stream, the upstream call was cancelled.
   */
  STOPPED_AT_BUDGET,
  /**
   * Refused by the org's (or key's) PII policy, mode {@code block}, before the provider was called: the client got
   * a 400. Recorded at no cost, counted in no quota.
   */
  PII_BLOCKED
}
