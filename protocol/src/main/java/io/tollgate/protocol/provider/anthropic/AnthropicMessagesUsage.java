package io.tollgate.protocol.provider.anthropic;

import static io.tollgate.protocol.usage.UsageJson.count;
import static io.tollgate.protocol.usage.UsageJson.countOrNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.EventStreamReader;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.util.Optional;

/**
 * Usage from Anthropic Messages. Anthropic's {@code input_tokens} exclude the cache: normalized input adds
 * cache writes and reads back. In a stream, {@code message_start} carries the first usage and every later
 * {@code message_delta} overwrites the fields it names (output is cumulative, input may change).
 */
public final class AnthropicMessagesUsage implements UsageExtractor {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    JsonNode message = Json.treeOrNull(body);
    if (message == null || !message.path("usage").isObject()) {
      return Optional.empty();
    }
    return Optional.of(new ReportedUsage(UsageJson.text(message, "model"), tokens(message.get("usage"))));
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode message = Json.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (message != null) {
      for (JsonNode block : message.path("content")) {
        appendBlock(block, text);
      }
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new Reader();
  }

  static TokenUsage tokens(JsonNode usage) {
    long uncached = count(usage, "input_tokens");
    long write = count(usage, "cache_creation_input_tokens");
    long read = count(usage, "cache_read_input_tokens");
    return new TokenUsage(uncached + write + read, count(usage, "output_tokens"), read, write,
        countOrNull(usage, "output_tokens_details", "thinking_tokens"),
        count(usage, "cache_creation", "ephemeral_1h_input_tokens"));
  }

  private static void appendBlock(JsonNode block, StringBuilder text) {
    for (String field : new String[] {"text", "thinking", "partial_json"}) {
      JsonNode value = block.get(field);
      if (value != null && value.isTextual()) {
        text.append(value.asText());
      }
    }
    if (block.has("input")) {
      text.append(block.get("input").toString());
    }
  }

  /** Streams: usage is final once a {@code message_delta} has been seen. */
  private static final class Reader extends EventStreamReader {
    private ObjectNode merged;

    Reader() {
      super((event, text) -> {
        JsonNode delta = event.get("delta");
        if (delta != null) {
          appendBlock(delta, text);
        }
      });
    }

    @Override
    protected boolean handle(SseEvent event) {
      String type = event.name();
      if (!"message_start".equals(type) && !"message_delta".equals(type) && !"error".equals(type)) {
        return false;
      }
      JsonNode data = Json.treeOrNull(event.data());
      if (data == null) {
        return false;
      }
      if ("error".equals(type) || "error".equals(data.path("type").asText())) {
        error = errorName(data.get("error"));
      } else if ("message_start".equals(type)) {
        model = UsageJson.text(data, "message", "model");
        JsonNode start = data.path("message").get("usage");
        merged = start != null && start.isObject()
            ? ((ObjectNode) start).deepCopy()
            : Json.MAPPER.createObjectNode();
      } else {
        JsonNode later = data.get("usage");
        if (later != null && later.isObject()) {
          if (merged == null) {
            merged = Json.MAPPER.createObjectNode();
          }
          merged.setAll((ObjectNode) later);
          usage = new ReportedUsage(model, tokens(merged));
        }
      }
      return true;
    }

    @Override
    public Optional<TokenUsage> partialUsage() {
      return merged == null ? Optional.empty() : Optional.of(tokens(merged));
    }
  }
}
