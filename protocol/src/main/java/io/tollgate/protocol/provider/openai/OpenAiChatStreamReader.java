package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads an OpenAI chat-completions stream. Only the event that carries a usage object is parsed as JSON;
 * the others are scanned for bytes, so a long stream costs little.
 *
 * <p>When the gateway added {@code stream_options.include_usage} for a client that did not ask, OpenAI
 * sends {@code "usage":null} in every chunk and one extra chunk with empty {@code choices}: this reader
 * removes both, so the client sees the stream it asked for.
 */
final class OpenAiChatStreamReader implements StreamUsageReader {
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_USAGE = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final boolean hideForcedUsage;
  private ReportedUsage usage;
  private String model;
  /** Data of the events streamed so far, kept only until usage is known, for estimating tokens. */
  private final List<byte[]> contentEvents = new ArrayList<>();

  OpenAiChatStreamReader(boolean hideForcedUsage) {
    this.hideForcedUsage = hideForcedUsage;
  }

  @Override
  public byte[] onEvent(SseEvent event) {
    if (!event.hasData() || Arrays.equals(event.data(), DONE)) {
      return event.raw();
    }
    byte[] data = event.data();
    if (hasUsageObject(data)) {
      JsonNode chunk = OpenAiChatInspector.treeOrNull(data);
      if (chunk != null && chunk.get("usage").isObject()) {
        JsonNode m = chunk.get("model");
        if (m != null && m.isTextual()) {
          model = m.asText();
        }
        usage = new ReportedUsage(model, OpenAiChatUsage.tokens(chunk.get("usage")));
        contentEvents.clear();
        JsonNode choices = chunk.get("choices");
        if (hideForcedUsage && (choices == null || (choices.isArray() && choices.isEmpty()))) {
          return DROP;
        }
      }
    } else {
      if (model == null) {
        model = peekModel(data);
      }
      if (usage == null) {
        contentEvents.add(data);
      }
    }
    return hideForcedUsage ? withoutNullUsage(event.raw()) : event.raw();
  }

  @Override
  public boolean rewrites() {
    return hideForcedUsage;
  }

  @Override
  public Optional<ReportedUsage> usage() {
    return Optional.ofNullable(usage);
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String streamedText() {
    StringBuilder text = new StringBuilder();
    for (byte[] data : contentEvents) {
      JsonNode chunk = OpenAiChatInspector.treeOrNull(data);
      if (chunk == null) {
        continue;
      }
      for (JsonNode choice : chunk.path("choices")) {
        JsonNode delta = choice.path("delta");
        append(text, delta.get("content"));
        append(text, delta.get("refusal"));
        append(text, delta.get("reasoning_content"));
        for (JsonNode call : delta.path("tool_calls")) {
          append(text, call.path("function").get("name"));
          append(text, call.path("function").get("arguments"));
        }
      }
    }
    return text.toString();
  }

  private static void append(StringBuilder text, JsonNode value) {
    if (value != null && value.isTextual()) {
      text.append(value.asText());
    }
  }

  /** True when the data holds {@code "usage"} followed by an object (not {@code null}). */
  static boolean hasUsageObject(byte[] data) {
    int at = indexOf(data, USAGE_KEY, 0);
    while (at >= 0) {
      int i = at + USAGE_KEY.length;
      while (i < data.length && (data[i] == ' ' || data[i] == ':' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) {
        i++;
      }
      if (i < data.length && data[i] == '{') {
        return true;
      }
      at = indexOf(data, USAGE_KEY, at + 1);
    }
    return false;
  }

  private static String peekModel(byte[] data) {
    try (JsonParser p = Json.MAPPER.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("model") && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static byte[] withoutNullUsage(byte[] raw) {
    int at = indexOf(raw, NULL_USAGE, 0);
    if (at < 0) {
      return raw;
    }
    byte[] out = new byte[raw.length - NULL_USAGE.length];
    System.arraycopy(raw, 0, out, 0, at);
    System.arraycopy(raw, at + NULL_USAGE.length, out, at, raw.length - at - NULL_USAGE.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
