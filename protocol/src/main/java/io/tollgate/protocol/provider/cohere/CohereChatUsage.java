package io.tollgate.protocol.provider.cohere;

import static io.tollgate.protocol.usage.UsageJson.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.EventStreamReader;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.Optional;

/**
 * Usage from Cohere v2 chat: {@code usage.billed_units} is what Cohere bills and what is priced; the raw
 * {@code usage.tokens} include the prompt template and cached tokens Cohere does not bill. Cohere does not
 * echo the model. In a stream, usage comes only in {@code message-end}.
 */
public final class CohereChatUsage implements UsageExtractor {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    return response == null ? Optional.empty() : reported(response.get("usage"));
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (response != null) {
      appendMessage(response.path("message"), text);
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new Reader();
  }

  static Optional<ReportedUsage> reported(JsonNode usage) {
    if (usage == null || !usage.isObject() || !usage.path("billed_units").isObject()) {
      return Optional.empty();
    }
    return Optional.of(new ReportedUsage(null, new TokenUsage(
        count(usage, "billed_units", "input_tokens"), count(usage, "billed_units", "output_tokens"), 0, 0, null)));
  }

  private static void appendMessage(JsonNode message, StringBuilder text) {
    JsonNode content = message.path("content");
    if (content.isArray()) {
      for (JsonNode part : content) {
        Json.appendText(text, part.get("text"));
      }
    } else {
      Json.appendText(text, content.get("text"));
    }
    Json.appendText(text, message.get("tool_plan"));
    for (JsonNode call : message.path("tool_calls")) {
      Json.appendText(text, call.path("function").get("arguments"));
    }
  }

  private static final class Reader extends EventStreamReader {
    Reader() {
      super((event, text) -> appendMessage(event.path("delta").path("message"), text));
    }

    @Override
    protected boolean handle(SseEvent event) {
      if (!"message-end".equals(event.name())) {
        return false;
      }
      JsonNode data = Json.treeOrNull(event.data());
      if (data != null) {
        reported(data.path("delta").get("usage")).ifPresent(r -> usage = r);
        String finish = data.path("delta").path("finish_reason").asText("");
        if (finish.equals("ERROR")) {
          error = "ERROR";
        }
      }
      return true;
    }
  }
}
