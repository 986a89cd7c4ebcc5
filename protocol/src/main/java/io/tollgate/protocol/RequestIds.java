package io.tollgate.protocol;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The gateway's request ids ({@code X-Request-ID}): {@code req_}, the time it was received (11 hex digits of
 * epoch milliseconds), then 52 random bits. The time lets the request log find a request by its id through
 * its time index, without an index of its own. Ids made before had 24 random hex digits, the first of them
 * 8 or above; a time's first digit stays below 8 until the year 2248.
 */
public final class RequestIds {
  private static final String PREFIX = "req_";
  private static final int TIME_DIGITS = 11;
  private static final int LENGTH = PREFIX.length() + TIME_DIGITS + 13;

  private RequestIds() {}

  public static String next(long epochMillis) {
    long random = ThreadLocalRandom.current().nextLong() & 0xF_FFFF_FFFF_FFFFL;
    return PREFIX + String.format("%011x%013x", epochMillis & 0xFFF_FFFF_FFFFL, random);
  }

  /** When a request with this id was received; empty for an id the gateway did not make this way. */
  public static Optional<Long> receivedAt(String id) {
    if (id == null || id.length() != LENGTH || !id.startsWith(PREFIX) || id.charAt(PREFIX.length()) > '7') {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(id.substring(PREFIX.length(), PREFIX.length() + TIME_DIGITS), 16));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
