package io.tollgate.node.org;

import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.pricing.Cost;

/**
 * What a request is held at: its tokens (for token limits) and the most it can cost. A request without
 * max_tokens is held at the output this org's answers of the model lately used ({@link OutputSizes}), not
 * the whole default; one with the org's own price for its model at that price.
 */
record HoldSize(long tokens, long costNanos) {
  static HoldSize of(AdmitRequest request, PriceOverride override, OutputSizes outputs) {
    HoldBasis basis = request.basis();
    long output = basis.outputDefaulted() ? outputs.toHold(request.model(), basis.outputTokens()) : basis.outputTokens();
    long tokens = request.reservedTokens() - (basis.outputTokens() - output);
    if (override != null) {
      return new HoldSize(tokens, Cost.upperBound(basis.promptTokens(), output, override.price()));
    }
    if (output < basis.outputTokens() && basis.catalogModel() != null) {
      return new HoldSize(tokens, Cost.upperBound(basis.promptTokens(), output, basis.inputPerMtok(), basis.outputPerMtok()));
    }
    return new HoldSize(tokens, request.reservedCostNanos());
  }
}
