package io.tollgate.node.org;

import io.tollgate.protocol.org.AdmitRequest.HoldBasis;

/**
 * The catalog's rates of a model a request may be served by in place of the one it names (a fallback, a
 * downgrade), so the org can size its hold: the node's catalog, looked up as the node will call it.
 */
@FunctionalInterface
public interface ModelRates {
  /** A model no catalog prices: it holds nothing against a budget. */
  ModelRates UNPRICED = (provider, model, asked) -> new HoldBasis(null, asked.promptTokens(), asked.outputTokens(),
      asked.outputDefaulted(), 0, 0);

  /**
   * The basis of a hold for serving a request sent to {@code provider} with {@code model} (a fallback's name,
   * {@code mistral/mistral-large-latest} included): the same prompt and output as {@code asked}, at the model's
   * dearest catalog rates; {@code catalogModel} null when the catalog has no price for it.
   */
  HoldBasis basis(String provider, String model, HoldBasis asked);
}
