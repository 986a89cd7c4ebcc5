package io.tollgate.protocol.org;

/** The calendar periods limits are counted in. */
public enum Window {
  MINUTE,
  HOUR,
  DAY,
  MONTH
}
