package io.tollgate.protocol.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Small, forgiving readers for usage fields: absent, null or malformed counts read as absent, never as errors;
 * counts past {@link TokenUsage#MAX_COUNT} and amounts past {@code long} are clamped, so no answer a provider
 * sends can overflow the price arithmetic.
 */
public final class UsageJson {
  private static final BigDecimal MAX_COUNT = BigDecimal.valueOf(TokenUsage.MAX_COUNT);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private UsageJson() {}

  /** A non-negative count at {@code path} under {@code node}, or 0. */
  public static long count(JsonNode node, String... path) {
    Long value = countOrNull(node, path);
    return value == null ? 0 : value;
  }

  /** A non-negative count at {@code path}, or null when absent. */
  public static Long countOrNull(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isNumber()) {
      return null;
    }
    BigDecimal value = n.decimalValue();
    return value.signum() <= 0 ? 0 : value.compareTo(MAX_COUNT) >= 0 ? TokenUsage.MAX_COUNT : value.longValue();
  }

  public static boolean has(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n != null && !n.isNull();
  }

  public static String text(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** A USD amount (a JSON decimal, read exactly) as nano-USD rounded half up, or null. */
  public static Long usdAsNanos(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isNumber()) {
      return null;
    }
    return clamped(n.decimalValue().movePointRight(9).setScale(0, RoundingMode.HALF_UP));
  }

  /** An amount in units of {@code 10^-exponent} USD (xAI ticks are 1e-10 USD) as nano-USD, or null. */
  public static Long scaledUsdAsNanos(JsonNode node, int exponent, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isNumber()) {
      return null;
    }
    return clamped(new BigDecimal(n.bigIntegerValue()).movePointLeft(exponent - 9).setScale(0, RoundingMode.HALF_UP));
  }

  private static long clamped(BigDecimal whole) {
    return whole.max(LONG_MIN).min(LONG_MAX).longValueExact();
  }

  private static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null) {
        return null;
      }
      n = n.get(p);
    }
    return n;
  }
}
