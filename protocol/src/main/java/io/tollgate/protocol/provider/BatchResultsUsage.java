package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage in a batch's results: one JSON line per request, each read by {@link #usageOf}, summed per model (a
 * batch may mix models; each is priced at its own rate).
 */
public abstract class BatchResultsUsage extends WholeBodyUsage {

  /** The usage one line reports; empty for a request that failed, expired or was cancelled. */
  protected abstract Optional<ReportedUsage> usageOf(JsonNode line);

  @Override
  public List<ReportedUsage> perModel(byte[] body) {
    Map<String, TokenUsage> sums = new LinkedHashMap<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      JsonNode json = line.isBlank() ? null : Json.treeOrNull(line.getBytes(StandardCharsets.UTF_8));
      Optional<ReportedUsage> usage = json == null ? Optional.empty() : usageOf(json);
      usage.ifPresent(u -> sums.merge(u.model() == null ? "" : u.model(), u.tokens(), TokenUsage::plus));
    }
    List<ReportedUsage> models = new ArrayList<>(sums.size());
    sums.forEach((model, tokens) -> models.add(new ReportedUsage(model.isEmpty() ? null : model, tokens)));
    return models;
  }

  /** All the answers as one: their tokens summed, under the first model; empty when none reported usage. */
  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    return perModel(body).stream().reduce((a, b) -> new ReportedUsage(a.model(), a.tokens().plus(b.tokens())));
  }
}
