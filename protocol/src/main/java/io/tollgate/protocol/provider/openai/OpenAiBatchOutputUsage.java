package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.BatchResultsUsage;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ReportedUsage;
import java.util.Optional;

/**
 * Usage in a file's content when the file is a batch's output: one JSON line per request, each with the answer's
 * body ({@code response.body}: a chat completion, a response, embeddings) and its usage. Any other file (a batch's
 * input, an upload) reports nothing.
 */
public final class OpenAiBatchOutputUsage extends BatchResultsUsage {
  private final UsageExtractor chat = new OpenAiChatUsage(false);
  private final UsageExtractor embeddings = new OpenAiEmbeddingsUsage();

  @Override
  protected Optional<ReportedUsage> usageOf(JsonNode line) {
    JsonNode result = line.path("response").get("body");
    if (result == null || !result.isObject() || !result.path("usage").isObject()) {
      return Optional.empty();
    }
    String object = result.path("object").asText("");
    return object.equals("response") ? OpenAiResponsesUsage.reported(result)
        : (object.equals("list") ? embeddings : chat).fromBody(bytes(result));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON node could not be written again", e);
    }
  }
}
