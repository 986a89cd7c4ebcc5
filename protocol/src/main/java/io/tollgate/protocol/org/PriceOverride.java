package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.pricing.ModelPrice;

/**
 * An org's own price for one model (a negotiated discount, or a price for a model the catalog lacks).
 *
 * @param model the model name as the admin gave it, lower-cased
 */
public record PriceOverride(String model, ModelPrice price, long setAtMillis) implements CborSerializable {

  /** The price source a usage record names when this override priced it, so its cost can be recomputed. */
  public String source() {
    return "org-override@" + setAtMillis;
  }
}
