package io.tollgate.protocol.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.provider.WholeBodyUsage;
import io.tollgate.protocol.usage.ReportedUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Usage in a message batch's results: one JSON line per request; a succeeded one holds its message with its
 * usage ({@code result.message.usage}), an errored, cancelled or expired one is not billed.
 */
public final class AnthropicBatchResultsUsage extends WholeBodyUsage {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    return merged(body);
  }

  @Override
  public List<ReportedUsage> perModel(byte[] body) {
    List<ReportedUsage> answers = new ArrayList<>();
    for (JsonNode result : jsonLines(body)) {
      JsonNode message = result.path("result").get("message");
      if (!"succeeded".equals(result.path("result").path("type").asText()) || message == null
          || !message.path("usage").isObject()) {
        continue;
      }
      answers.add(new ReportedUsage(message.path("model").asText(null), AnthropicMessagesUsage.tokens(message.get("usage"))));
    }
    return byModel(answers);
  }
}
