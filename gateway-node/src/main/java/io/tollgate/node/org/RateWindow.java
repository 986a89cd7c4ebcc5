package io.tollgate.node.org;

import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MinuteTally;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.UtcPeriods;

/**
 * The current UTC minute's requests and tokens. A hold counts its estimated tokens until it settles, then
 * its actual ones; a request counts in the minute it was admitted in, so holds from an older minute stay
 * out of a new window.
 */
final class RateWindow {
  private long minute;
  private long requests;
  private long tokens;

  /** Resumes the minute the journal last saw if it is still this one: a restart must not grant a fresh minute. */
  RateWindow(long now, MinuteTally recovered) {
    minute = UtcPeriods.minuteOf(now);
    if (recovered.minute() == minute) {
      requests = recovered.requests();
      tokens = recovered.tokens();
    }
  }

  /** Opens a new, empty window if {@code now} is past the current minute. */
  void roll(long now) {
    long current = UtcPeriods.minuteOf(now);
    if (current != minute) {
      minute = current;
      requests = 0;
      tokens = 0;
    }
  }

  long minute() {
    return minute;
  }

  long requests() {
    return requests;
  }

  long tokens() {
    return tokens;
  }

  /** Whole seconds until the next minute opens, at least one (for {@code Retry-After}). */
  long secondsToNext(long now) {
    return Math.max(1, ((minute + 1) * UtcPeriods.MINUTE_MILLIS - now + 999) / 1000);
  }

  /** An admission: one request, at its estimate. */
  void admit(long estimatedTokens) {
    requests++;
    tokens += estimatedTokens;
  }

  /** A hold given back unused, as if it had never been admitted. */
  void withdraw(long heldMinute, long estimatedTokens) {
    if (heldMinute == minute) {
      requests--;
      tokens -= estimatedTokens;
    }
  }

  /** A hold settled: its estimate is replaced by what it used. */
  void settle(long heldMinute, long estimatedTokens, long actualTokens) {
    if (heldMinute == minute) {
      tokens += actualTokens - estimatedTokens;
    }
  }

  /** A request admitted by an earlier incarnation of the org's actor, which this window never counted. */
  void settleUncounted(long admittedAtMillis, long actualTokens) {
    if (UtcPeriods.minuteOf(admittedAtMillis) == minute) {
      requests++;
      tokens += actualTokens;
    }
  }

  /** What is left of the per-minute limits, for the {@code x-ratelimit-*} headers. */
  RateLimitStatus status(Limits limits) {
    Long rpm = limits.requestsPerMinute();
    Long tpm = limits.tokensPerMinute();
    return new RateLimitStatus(rpm, rpm == null ? 0 : Math.max(0, rpm - requests),
        tpm, tpm == null ? 0 : Math.max(0, tpm - tokens), (minute + 1) * UtcPeriods.MINUTE_MILLIS);
  }
}
