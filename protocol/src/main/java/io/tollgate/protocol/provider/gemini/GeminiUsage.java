package io.tollgate.protocol.provider.gemini;

import static io.tollgate.protocol.usage.UsageJson.count;
import static io.tollgate.protocol.usage.UsageJson.countOrNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.provider.EventStreamReader;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ByteSearch;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Usage from Gemini's {@code usageMetadata}. {@code promptTokenCount} includes cached content; tool-use
 * prompt tokens and thinking tokens are reported beside the prompt and the candidates, and are billed as
 * input and output. In a stream every chunk carries the usage so far: the last one wins, and chunks without
 * text (or without usage) are still read.
 */
public final class GeminiUsage implements UsageExtractor {
  private static final byte[] USAGE_KEY = "\"usageMetadata\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    if (response != null && response.isArray()) {
      // streamGenerateContent without alt=sse answers one JSON array of chunks; the last usage wins.
      Optional<ReportedUsage> last = Optional.empty();
      for (JsonNode chunk : response) {
        Optional<ReportedUsage> r = reported(chunk);
        last = r.isPresent() ? r : last;
      }
      return last;
    }
    return response == null ? Optional.empty() : reported(response);
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (response != null) {
      appendCandidates(response, text);
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new Reader();
  }

  static Optional<ReportedUsage> reported(JsonNode response) {
    JsonNode usage = response.get("usageMetadata");
    if (usage == null || !usage.isObject()) {
      return Optional.empty();
    }
    Long thoughts = countOrNull(usage, "thoughtsTokenCount");
    TokenUsage tokens = new TokenUsage(
        count(usage, "promptTokenCount") + count(usage, "toolUsePromptTokenCount"),
        count(usage, "candidatesTokenCount") + (thoughts == null ? 0 : thoughts),
        count(usage, "cachedContentTokenCount"), 0, thoughts).withMedia(new TokenUsage.Media(
            byModality(usage.get("promptTokensDetails"), "AUDIO"), byModality(usage.get("candidatesTokensDetails"), "AUDIO"),
            byModality(usage.get("promptTokensDetails"), "IMAGE"), byModality(usage.get("candidatesTokensDetails"), "IMAGE")));
    return Optional.of(new ReportedUsage(UsageJson.text(response, "modelVersion"), tokens));
  }

  /** Tokens of one modality in Gemini's {@code [{"modality": "AUDIO", "tokenCount": 12}, ...]}. */
  private static long byModality(JsonNode details, String modality) {
    long tokens = 0;
    if (details != null && details.isArray()) {
      for (JsonNode d : details) {
        if (modality.equals(d.path("modality").asText())) {
          tokens = Saturating.add(tokens, UsageJson.count(d, "tokenCount"));
        }
      }
    }
    return Math.min(tokens, TokenUsage.MAX_COUNT);
  }

  private static void appendCandidates(JsonNode response, StringBuilder text) {
    for (JsonNode candidate : response.path("candidates")) {
      for (JsonNode part : candidate.path("content").path("parts")) {
        Json.appendText(text, part.get("text"));
        if (part.has("functionCall")) {
          text.append(part.get("functionCall").toString());
        }
      }
    }
  }

  private static final class Reader extends EventStreamReader {
    Reader() {
      super((chunk, text) -> appendCandidates(chunk, text));
    }

    @Override
    protected boolean handle(SseEvent event) {
      byte[] data = event.data();
      boolean hasUsage = ByteSearch.contains(data, USAGE_KEY);
      if (!hasUsage && !ByteSearch.contains(data, ERROR_KEY)) {
        return false;
      }
      JsonNode chunk = Json.treeOrNull(data);
      if (chunk == null) {
        return false;
      }
      if (chunk.path("error").isObject()) {
        error = chunk.get("error").hasNonNull("status") ? chunk.get("error").get("status").asText() : "error";
      }
      reported(chunk).ifPresent(r -> {
        model = r.model() != null ? r.model() : model;
        usage = new ReportedUsage(model, r.tokens());
      });
      return false; // keep the chunk's text too: usage may come with text, and later chunks may follow
    }
  }
}
