package io.tollgate.protocol.pricing;

import java.util.List;

/**
 * One price, in exact nano-USD per million tokens, that may rise with the size of the request: a tier
 * applies its price to all tokens of its class once the request's input tokens exceed its start (the
 * "cliff" model Anthropic, Google and OpenAI use for long prompts).
 */
public record Rate(long basePerMtok, List<Tier> tiers) {

  /** From {@code startInputTokens} exclusive upwards, {@code perMtok} applies. Tiers are sorted by start. */
  public record Tier(long startInputTokens, long perMtok) {}

  public Rate {
    if (basePerMtok < 0 || tiers.stream().anyMatch(t -> t.perMtok() < 0 || t.startInputTokens() < 0)) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
    tiers = tiers.stream().sorted(java.util.Comparator.comparingLong(Tier::startInputTokens)).toList();
  }

  public static Rate flat(long perMtok) {
    return new Rate(perMtok, List.of());
  }

  /** The price for a request with this many input tokens (cache reads and writes included). */
  public long at(long inputTokens) {
    long price = basePerMtok;
    for (Tier tier : tiers) {
      if (inputTokens > tier.startInputTokens()) {
        price = tier.perMtok();
      }
    }
    return price;
  }

  /** The highest price any request could pay, for reservations. */
  public long max() {
    long max = basePerMtok;
    for (Tier tier : tiers) {
      max = Math.max(max, tier.perMtok());
    }
    return max;
  }
}
