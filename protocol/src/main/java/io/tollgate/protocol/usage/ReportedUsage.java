package io.tollgate.protocol.usage;

/**
 * What the upstream reported about a response: the model that actually answered, the tokens it billed, and,
 * where the provider states it (OpenRouter, xAI), the cost it charged in nano-USD, kept beside ours.
 */
public record ReportedUsage(String model, TokenUsage tokens, Long providerCostNanos) {
  public ReportedUsage(String model, TokenUsage tokens) {
    this(model, tokens, null);
  }
}
