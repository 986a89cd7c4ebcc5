package io.tollgate.protocol.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.provider.BatchResultsUsage;
import io.tollgate.protocol.usage.ReportedUsage;
import java.util.Optional;

/**
 * Usage in a message batch's results: one JSON line per request; a succeeded one holds its message with its
 * usage ({@code result.message.usage}), an errored, cancelled or expired one is not billed.
 */
public final class AnthropicBatchResultsUsage extends BatchResultsUsage {

  @Override
  protected Optional<ReportedUsage> usageOf(JsonNode line) {
    JsonNode message = line.path("result").get("message");
    if (!"succeeded".equals(line.path("result").path("type").asText()) || message == null
        || !message.path("usage").isObject()) {
      return Optional.empty();
    }
    return Optional.of(new ReportedUsage(message.path("model").asText(null),
        AnthropicMessagesUsage.tokens(message.get("usage"))));
  }
}
