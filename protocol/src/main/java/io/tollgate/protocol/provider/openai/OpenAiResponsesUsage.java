package io.tollgate.protocol.provider.openai;

import static io.tollgate.protocol.usage.UsageJson.count;
import static io.tollgate.protocol.usage.UsageJson.countOrNull;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Usage from the OpenAI Responses API (also served by Azure, xAI, DeepSeek and OpenRouter):
 * {@code input_tokens} include cached ones, {@code output_tokens} include reasoning. A stream's usage is in
 * its terminal event ({@code response.completed}, {@code .incomplete} or {@code .failed}); there is no
 * {@code [DONE]}. A response made in the background is billed when it is read finished ({@link
 * OpenAiMediaUsage#storedResponse}), not when it is queued.
 */
public final class OpenAiResponsesUsage implements UsageExtractor {

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    if (response == null) {
      return Optional.empty();
    }
    if (response.path("background").asBoolean(false) && !finished(response)) {
      return Optional.of(new ReportedUsage(UsageJson.text(response, "model"), TokenUsage.ZERO)); // billed when read
    }
    return reported(response);
  }

  /** Whether a response has stopped running: only then does it report its usage. */
  static boolean finished(JsonNode response) {
    String status = response.path("status").asText("");
    return !status.equals("queued") && !status.equals("in_progress");
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (response != null) {
      for (JsonNode item : response.path("output")) {
        for (JsonNode part : item.path("content")) {
          Json.appendText(text, part.get("text"));
        }
        Json.appendText(text, item.get("arguments"));
      }
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new Reader();
  }

  static Optional<ReportedUsage> reported(JsonNode response) {
    JsonNode usage = response.get("usage");
    if (usage == null || !usage.isObject()) {
      return Optional.empty();
    }
    TokenUsage tokens = new TokenUsage(count(usage, "input_tokens"), count(usage, "output_tokens"),
        count(usage, "input_tokens_details", "cached_tokens"), count(usage, "input_tokens_details", "cache_write_tokens"),
        countOrNull(usage, "output_tokens_details", "reasoning_tokens"));
    return Optional.of(new ReportedUsage(UsageJson.text(response, "model"), tokens, UsageJson.usdAsNanos(usage, "cost")));
  }

  private static final class Reader extends EventStreamReader {
    Reader() {
      super((event, text) -> {
        if (event.path("type").asText("").endsWith(".delta")) {
          Json.appendText(text, event.get("delta"));
        }
      });
    }

    @Override
    protected boolean handle(SseEvent event) {
      String type = event.name();
      boolean terminal = "response.completed".equals(type) || "response.incomplete".equals(type)
          || "response.failed".equals(type);
      if (!terminal && !"error".equals(type) && !"response.created".equals(type)) {
        return false;
      }
      JsonNode data = Json.treeOrNull(event.data());
      if (data == null) {
        return false;
      }
      if ("error".equals(type)) {
        error = errorName(data.get("error") != null ? data.get("error") : data);
        return true;
      }
      JsonNode response = data.path("response");
      if (model == null) {
        model = UsageJson.text(response, "model");
      }
      if ("response.failed".equals(type) && error == null) {
        error = errorName(response.get("error"));
      }
      if (terminal) {
        reported(response).ifPresent(r -> usage = r);
      }
      return true;
    }
  }
}
