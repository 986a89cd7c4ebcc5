package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Converts catalog prices, read as exact decimals, to integer nano-USD per million tokens. */
final class PriceUnits {
  private PriceUnits() {}

  /** USD per million tokens (a JSON number or decimal string) to nano-USD per million tokens. */
  static long usdPerMtok(JsonNode value) {
    return scaled(decimal(value), 9);
  }

  /** A price in USD per million tokens, flat ({@code "2.5"}) or tiered ({@code {"base": "2.5", "tiers": [{"start", "price"}]}}). */
  static Rate rate(JsonNode value) {
    if (!value.isObject()) {
      return Rate.flat(usdPerMtok(value));
    }
    List<Rate.Tier> tiers = new ArrayList<>();
    for (JsonNode tier : value.path("tiers")) {
      JsonNode start = tier.get("start");
      if (start == null || !start.canConvertToLong() || !tier.hasNonNull("price")) {
        throw new IllegalArgumentException("a tier needs an integer 'start' and a 'price': " + tier);
      }
      tiers.add(new Rate.Tier(start.asLong(), usdPerMtok(tier.get("price"))));
    }
    if (!value.hasNonNull("base")) {
      throw new IllegalArgumentException("a tiered price needs a 'base': " + value);
    }
    return new Rate(usdPerMtok(value.get("base")), tiers);
  }

  static Rate rateOrNull(JsonNode value) {
    return value == null || value.isNull() ? null : rate(value);
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
    try {
      return d.movePointRight(places).setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException tooLarge) {
      throw new IllegalArgumentException("price out of range: " + d.toPlainString());
    }
  }

}
