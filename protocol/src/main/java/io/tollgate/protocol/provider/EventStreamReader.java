package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The common part of stream readers for formats the gateway never rewrites: events pass unchanged, the
 * subclass picks which to parse, and the data of the others is kept, until usage is known, to estimate
 * tokens from their text if the stream ends without it.
 */
public abstract class EventStreamReader implements StreamUsageReader {
  protected ReportedUsage usage;
  protected String model;
  protected String error;
  private final List<byte[]> keptForEstimate = new ArrayList<>();
  private final BiConsumer<JsonNode, StringBuilder> textOf;

  protected EventStreamReader(BiConsumer<JsonNode, StringBuilder> textOf) {
    this.textOf = textOf;
  }

  @Override
  public final byte[] onEvent(SseEvent event) {
    if (event.hasData()) {
      if (!handle(event) && usage == null) {
        keptForEstimate.add(event.data());
      }
    }
    return event.raw();
  }

  /** Reads the event if it matters for usage, model or errors; returns true when it did. */
  protected abstract boolean handle(SseEvent event);

  @Override
  public final boolean rewrites() {
    return false;
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
  public String textOf(SseEvent event) {
    JsonNode node = event.hasData() ? Json.treeOrNull(event.data()) : null;
    if (node == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    textOf.accept(node, text);
    return text.toString();
  }

  @Override
  public String streamedText() {
    StringBuilder text = new StringBuilder();
    for (byte[] data : keptForEstimate) {
      JsonNode node = Json.treeOrNull(data);
      if (node != null) {
        textOf.accept(node, text);
      }
    }
    return text.toString();
  }

  /** The {@code type} (or {@code code}) of an error object, for the record. */
  protected static String errorName(JsonNode error) {
    if (error == null || error.isNull()) {
      return "error";
    }
    JsonNode name = error.hasNonNull("type") ? error.get("type") : error.get("code");
    return name == null ? "error" : name.asText();
  }
}
