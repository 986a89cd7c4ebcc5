package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * Settled requests and tokens of the latest UTC minute seen in the journal, so a restarted org actor resumes
 * its per-minute window instead of opening a fresh one.
 */
public record MinuteTally(long minute, long requests, long tokens) implements CborSerializable {
  public static final MinuteTally NONE = new MinuteTally(Long.MIN_VALUE, 0, 0);

  public MinuteTally plus(long recordMinute, long tokenCount) {
    if (recordMinute < minute) {
      return this;
    }
    return recordMinute > minute
        ? new MinuteTally(recordMinute, 1, tokenCount)
        : new MinuteTally(minute, requests + 1, tokens + tokenCount);
  }
}
