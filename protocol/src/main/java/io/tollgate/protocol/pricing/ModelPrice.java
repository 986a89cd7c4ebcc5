package io.tollgate.protocol.pricing;

/**
 * Prices for one model, each an exact integer of nano-USD per million tokens ($0.15 / Mtok = 150,000,000).
 * A missing cache price means that class is billed at the input price.
 */
public record ModelPrice(long inputPerMtok, long outputPerMtok, Long cacheReadPerMtok, Long cacheWritePerMtok) {
  public ModelPrice {
    if (inputPerMtok < 0 || outputPerMtok < 0
        || (cacheReadPerMtok != null && cacheReadPerMtok < 0)
        || (cacheWritePerMtok != null && cacheWritePerMtok < 0)) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  public long cacheReadOrInput() {
    return cacheReadPerMtok == null ? inputPerMtok : cacheReadPerMtok;
  }

  public long cacheWriteOrInput() {
    return cacheWritePerMtok == null ? inputPerMtok : cacheWritePerMtok;
  }
}
