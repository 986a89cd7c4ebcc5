package io.tollgate.protocol.usage;

import io.tollgate.protocol.pricing.Units;

/**
 * What the upstream reported about a response: the model that actually answered, the tokens it billed, the
 * pieces it bills apart from tokens (images, seconds of audio), and, where the provider states it (OpenRouter,
 * xAI), the cost it charged in nano-USD, kept beside ours.
 *
 * @param units pieces billed by the piece; null when none
 */
public record ReportedUsage(String model, TokenUsage tokens, Long providerCostNanos, Units units) {
  public ReportedUsage(String model, TokenUsage tokens, Long providerCostNanos) {
    this(model, tokens, providerCostNanos, null);
  }

  public ReportedUsage(String model, TokenUsage tokens) {
    this(model, tokens, null, null);
  }
}
