package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Usage of an API whose answers are read whole, never streamed: images, audio, files, batches. */
public abstract class WholeBodyUsage implements UsageExtractor {

  @Override
  public String completionText(byte[] body) {
    return "";
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new EventStreamReader((event, text) -> { }) {
      @Override
      protected boolean handle(SseEvent event) {
        return true;
      }
    };
  }

  /** Nothing billed: the call is recorded with no tokens, under the model its answer names if {@code modelFromBody}. */
  public static WholeBodyUsage free(boolean modelFromBody) {
    return new WholeBodyUsage() {
      @Override
      public Optional<ReportedUsage> fromBody(byte[] body) {
        String model = modelFromBody ? UsageJson.text(Json.treeOrNull(body), "model") : null;
        return Optional.of(new ReportedUsage(model, TokenUsage.ZERO));
      }
    };
  }

  /** The JSON objects of a body of JSON lines (a batch's results); lines that are not JSON are skipped. */
  protected static List<JsonNode> jsonLines(byte[] body) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      JsonNode json = line.isBlank() ? null : Json.treeOrNull(line.getBytes(StandardCharsets.UTF_8));
      if (json != null) {
        lines.add(json);
      }
    }
    return lines;
  }

  /** Many answers' usage summed per model, in the order the models first answered. */
  protected static List<ReportedUsage> byModel(List<ReportedUsage> answers) {
    Map<String, TokenUsage> sums = new LinkedHashMap<>();
    for (ReportedUsage answer : answers) {
      sums.merge(answer.model() == null ? "" : answer.model(), answer.tokens(), TokenUsage::plus);
    }
    List<ReportedUsage> models = new ArrayList<>(sums.size());
    sums.forEach((model, tokens) -> models.add(new ReportedUsage(model.isEmpty() ? null : model, tokens)));
    return models;
  }

  /** All of a body's answers as one: their tokens summed, under the first model; empty when none reported usage. */
  protected Optional<ReportedUsage> merged(byte[] body) {
    List<ReportedUsage> models = perModel(body);
    return models.stream().reduce((a, b) -> new ReportedUsage(a.model(), a.tokens().plus(b.tokens())));
  }
}
