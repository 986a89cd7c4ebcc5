package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.ByteSearch;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads an OpenAI-style chat-completions stream. Only events that carry a usage object or an error are
 * parsed as JSON; the others are scanned for bytes, so a long stream costs little.
 *
 * <p>When the gateway added {@code stream_options.include_usage} for a client that did not ask, OpenAI
 * sends {@code "usage":null} in every chunk and one extra chunk with empty {@code choices}: this reader
 * removes both, so the client sees the stream it asked for.
 */
final class OpenAiChatStreamReader implements StreamUsageReader {
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_USAGE = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final OpenAiChatUsage usageFormat;
  private final boolean hideForcedUsage;
  private ReportedUsage usage;
  private String model;
  private String error;
  /** Data of the events streamed so far, kept only until usage is known, for estimating tokens. */
  private final List<byte[]> contentEvents = new ArrayList<>();

  OpenAiChatStreamReader(OpenAiChatUsage usageFormat, boolean hideForcedUsage) {
    this.usageFormat = usageFormat;
    this.hideForcedUsage = hideForcedUsage;
  }

  @Override
  public byte[] onEvent(SseEvent event) {
    if (!event.hasData() || Arrays.equals(event.data(), DONE)) {
      return event.raw();
    }
    byte[] data = event.data();
    boolean hasUsage = ByteSearch.keyFollowedBy(data, USAGE_KEY, (byte) '{');
    if (hasUsage || "error".equals(event.name()) || ByteSearch.keyFollowedBy(data, ERROR_KEY, (byte) '{')) {
      JsonNode chunk = Json.treeOrNull(data);
      if (chunk != null && chunk.isObject()) {
        readError(chunk);
        Optional<ReportedUsage> reported = usageFormat.reported(chunk);
        if (reported.isPresent()) {
          model = reported.get().model() != null ? reported.get().model() : model;
          usage = new ReportedUsage(model, reported.get().tokens(), reported.get().providerCostNanos());
          contentEvents.clear();
          JsonNode choices = chunk.get("choices");
          if (hideForcedUsage && (choices == null || (choices.isArray() && choices.isEmpty()))) {
            return DROP;
          }
        }
      }
    }
    if (model == null) {
      model = OpenAiChatUsage.peekModel(data);
    }
    if (usage == null) {
      contentEvents.add(data);
    }
    return hideForcedUsage ? withoutNullUsage(event.raw()) : event.raw();
  }

  private void readError(JsonNode chunk) {
    JsonNode e = chunk.get("error");
    if (e != null && e.isObject()) {
      JsonNode code = e.hasNonNull("code") ? e.get("code") : e.get("type");
      error = code == null ? "error" : code.asText();
    }
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
  public Optional<String> streamError() {
    return Optional.ofNullable(error);
  }

  @Override
  public String streamedText() {
    StringBuilder text = new StringBuilder();
    for (byte[] data : contentEvents) {
      appendText(Json.treeOrNull(data), text);
    }
    return text.toString();
  }

  @Override
  public String textOf(SseEvent event) {
    StringBuilder text = new StringBuilder();
    appendText(event.hasData() ? Json.treeOrNull(event.data()) : null, text);
    return text.toString();
  }

  /** The text of one chunk: content, refusals, reasoning, and tool calls' names and arguments. */
  private static void appendText(JsonNode chunk, StringBuilder text) {
    if (chunk == null) {
      return;
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      Json.appendText(text, delta.get("content"));
      Json.appendText(text, delta.get("refusal"));
      Json.appendText(text, delta.get("reasoning_content"));
      Json.appendText(text, choice.get("text"));
      for (JsonNode call : delta.path("tool_calls")) {
        Json.appendText(text, call.path("function").get("name"));
        Json.appendText(text, call.path("function").get("arguments"));
      }
    }
  }

  private static byte[] withoutNullUsage(byte[] raw) {
    int at = ByteSearch.indexOf(raw, NULL_USAGE, 0);
    if (at < 0) {
      return raw;
    }
    byte[] out = new byte[raw.length - NULL_USAGE.length];
    System.arraycopy(raw, 0, out, 0, at);
    System.arraycopy(raw, at + NULL_USAGE.length, out, at, raw.length - at - NULL_USAGE.length);
    return out;
  }
}
