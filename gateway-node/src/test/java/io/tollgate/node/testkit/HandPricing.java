package io.tollgate.node.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Cost worked out the long way, in decimal USD, independently of the gateway's integer arithmetic. */
public final class HandPricing {
  private HandPricing() {}

  /** gpt-4o-mini: $0.15 per million input tokens ($0.075 cached), $0.60 per million output tokens. */
  public static String gpt4oMini(long input, long cached, long output) {
    BigDecimal perMillion = new BigDecimal("0.15").multiply(BigDecimal.valueOf(input - cached))
        .add(new BigDecimal("0.075").multiply(BigDecimal.valueOf(cached)))
        .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(output)));
    return perMillion.divide(BigDecimal.valueOf(1_000_000)).setScale(9, RoundingMode.HALF_UP).toPlainString();
  }
}
