package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import java.io.IOException;
import java.util.Optional;

/**
 * Usage from OpenAI chat completions. {@code prompt_tokens} already includes cached tokens and
 * {@code completion_tokens} already includes reasoning tokens, so they map to input and output as they are.
 */
public final class OpenAiChatUsage implements UsageExtractor {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    String model = null;
    JsonNode usage = null;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("model") && value == JsonToken.VALUE_STRING) {
          model = p.getText();
        } else if (field.equals("usage") && value == JsonToken.START_OBJECT) {
          usage = p.readValueAsTree();
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return usage == null ? Optional.empty() : Optional.of(new ReportedUsage(model, tokens(usage)));
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode response = OpenAiChatInspector.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (response != null) {
      for (JsonNode choice : response.path("choices")) {
        JsonNode message = choice.path("message");
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
          text.append(content.asText());
        }
        for (JsonNode call : message.path("tool_calls")) {
          text.append(call.path("function").path("name").asText("")).append(call.path("function").path("arguments").asText(""));
        }
      }
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new OpenAiChatStreamReader(hideForcedUsage);
  }

  /** Maps an OpenAI {@code usage} object to normalized tokens. */
  static TokenUsage tokens(JsonNode usage) {
    JsonNode prompt = usage.path("prompt_tokens_details");
    JsonNode completion = usage.path("completion_tokens_details");
    JsonNode reasoning = completion.get("reasoning_tokens");
    return new TokenUsage(
        count(usage.get("prompt_tokens")),
        count(usage.get("completion_tokens")),
        count(prompt.get("cached_tokens")),
        count(prompt.get("cache_write_tokens")),
        reasoning == null || !reasoning.canConvertToLong() ? null : Math.max(0, reasoning.asLong()));
  }

  private static long count(JsonNode n) {
    return n == null || !n.canConvertToLong() ? 0 : Math.max(0, n.asLong());
  }
}
