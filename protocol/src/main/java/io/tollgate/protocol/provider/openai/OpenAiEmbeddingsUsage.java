package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.WholeBodyUsage;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.util.Optional;

/** Usage from OpenAI embeddings: one {@code prompt_tokens} count for the whole batch, no output, no stream. */
public final class OpenAiEmbeddingsUsage extends WholeBodyUsage {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    if (response == null || !response.path("usage").isObject()) {
      return Optional.empty();
    }
    return Optional.of(new ReportedUsage(UsageJson.text(response, "model"),
        new TokenUsage(UsageJson.count(response, "usage", "prompt_tokens"), 0, 0, 0, null)));
  }
}
