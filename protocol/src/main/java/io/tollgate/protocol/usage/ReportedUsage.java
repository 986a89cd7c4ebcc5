package io.tollgate.protocol.usage;

/** What the upstream reported about a response: the model that actually answered and the tokens it billed. */
public record ReportedUsage(String model, TokenUsage tokens) {}
