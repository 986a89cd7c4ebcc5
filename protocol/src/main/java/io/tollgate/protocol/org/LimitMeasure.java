package io.tollgate.protocol.org;

/** What a limit counts. */
public enum LimitMeasure {
  REQUESTS,
  TOKENS,
  BUDGET
}
