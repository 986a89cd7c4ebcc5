package io.tollgate.node.org;

import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.pricing.Cost;

/**
 * What a request is held at: its tokens (for token limits) and the most it can cost. A request without
 * max_tokens is held at the output this org's answers of the model lately used ({@link OutputSizes}), not
 * the whole default; one with the org's own price for its model at that price.
 */
record HoldSize(long tokens, long costNanos) {
  /**
   * @param tokens the tokens the requester held: its prompt's bound and the whole output
   * @param costNanos the cost the requester held at catalog prices
   */
  static HoldSize of(String model, HoldBasis basis, long tokens, long costNanos, PriceOverride override,
      OutputSizes outputs) {
    long output = basis.outputDefaulted() ? outputs.toHold(model, basis.outputTokens()) : basis.outputTokens();
    long held = tokens - (basis.outputTokens() - output);
    if (override != null) {
      return new HoldSize(held, Cost.upperBound(basis.promptTokens(), output, override.price()));
    }
    if (output < basis.outputTokens() && basis.catalogModel() != null) {
      return new HoldSize(held, Cost.upperBound(basis.promptTokens(), output, basis.inputPerMtok(), basis.outputPerMtok()));
    }
    return new HoldSize(held, costNanos);
  }

  /** The larger of each. */
  HoldSize max(HoldSize other) {
    return new HoldSize(Math.max(tokens, other.tokens), Math.max(costNanos, other.costNanos));
  }
}
