package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Converts catalog prices, read as exact decimals, to integer nano-USD per million tokens. */
final class PriceUnits {
  private PriceUnits() {}

  /** USD per million tokens (a JSON number or decimal string) to nano-USD per million tokens. */
  static long usdPerMtok(JsonNode value) {
    return scaled(decimal(value), 9);
  }

  /** USD per token (LiteLLM) to nano-USD per million tokens. */
  static long usdPerToken(JsonNode value) {
    return scaled(decimal(value), 15);
  }

  private static BigDecimal decimal(JsonNode value) {
    BigDecimal d = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
    if (d.signum() < 0) {
      throw new IllegalArgumentException("prices cannot be negative: " + value);
    }
    return d;
  }

  /** Rounded half up to a whole nano-USD per million tokens (catalogs have far fewer decimals than that). */
  private static long scaled(BigDecimal d, int places) {
    return d.movePointRight(places).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
