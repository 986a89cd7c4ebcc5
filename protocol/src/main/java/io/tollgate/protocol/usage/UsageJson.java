package io.tollgate.protocol.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Small, forgiving readers for usage fields: absent, null or malformed counts read as absent, never as errors. */
public final class UsageJson {
  private UsageJson() {}

  /** A non-negative count at {@code path} under {@code node}, or 0. */
  public static long count(JsonNode node, String... path) {
    Long value = countOrNull(node, path);
    return value == null ? 0 : value;
  }

  /** A non-negative count at {@code path}, or null when absent. */
  public static Long countOrNull(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n == null || !n.isNumber() || !n.canConvertToLong() ? null : Math.max(0, n.asLong());
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
    return n.decimalValue().movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** An amount in units of {@code 10^-exponent} USD (xAI ticks are 1e-10 USD) as nano-USD, or null. */
  public static Long scaledUsdAsNanos(JsonNode node, int exponent, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isNumber()) {
      return null;
    }
    return new BigDecimal(n.bigIntegerValue()).movePointLeft(exponent - 9).setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
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
