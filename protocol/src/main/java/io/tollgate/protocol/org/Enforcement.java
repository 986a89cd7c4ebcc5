package io.tollgate.protocol.org;

/** What a limit does when a request would pass it. */
public enum Enforcement {
  /** Refuse the request. */
  HARD,
  /** Admit it, count it, and flag its record as over the limit. */
  SOFT,
  /** Admit it and count that it would have been refused: to try a limit on live traffic. */
  SHADOW
}
