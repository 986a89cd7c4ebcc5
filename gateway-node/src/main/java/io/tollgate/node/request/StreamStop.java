package io.tollgate.node.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.SseEvent;
import io.tollgate.protocol.usage.TokenUsage;
import java.nio.charset.StandardCharsets;

/**
 * For an org that ends streams at a budget ({@code budget_enforcement: stop_stream}): follows a stream's
 * running cost, event by event, and once it reaches the request's stop ({@link Admitted#stopAtNanos()})
 * gives the well-formed end of stream the client's SDK expects, in its provider's format. The running cost
 * is the prompt (as reported, else counted) and the output streamed so far, at the price the answer will be
 * charged at; the output is counted piece by piece as it comes (a little more than the whole) and counted
 * whole before the stream is stopped, so it stops neither early nor late.
 */
final class StreamStop {
  private enum Format { OPENAI_CHAT, ANTHROPIC, GEMINI }

  private final Format format;
  private final long stopAtNanos;
  private final ProxyCall call;
  private final Admitted grant;
  private final Metering metering;
  private final long promptTokens;
  private final StringBuilder streamed = new StringBuilder();
  /** The output streamed up to the last whole count, and the tokens of the pieces since, counted one by one. */
  private long countedTokens;
  private long pieceTokens;
  private int openBlock = -1; // Anthropic: the content block in progress, closed before the end

  private StreamStop(Format format, ProxyCall call, Admitted grant, Metering metering) {
    this.format = format;
    this.stopAtNanos = grant.stopAtNanos();
    this.call = call;
    this.grant = grant;
    this.metering = metering;
    this.promptTokens = metering.estimator().promptTokens(call.facts().model(), call.clientBody());
  }

  /** The stop of this stream, or null when it is never stopped (no stop, or an API whose end is not known here). */
  static StreamStop of(ProxyCall call, Admitted grant, Metering metering) {
    if (grant == null || grant.stopAtNanos() == null) {
      return null;
    }
    String api = call.endpoint().api();
    ProviderId provider = call.provider().id();
    Format format = api.equals("chat") && provider != ProviderId.COHERE ? Format.OPENAI_CHAT
        : api.equals("messages") ? Format.ANTHROPIC
        : api.equals("streamGenerateContent") ? Format.GEMINI : null;
    return format == null ? null : new StreamStop(format, call, grant, metering);
  }

  /** After the reader took {@code event}: true once the stream's running cost reaches its stop. */
  boolean reached(SseEvent event, StreamUsageReader reader) {
    if (ends(event)) {
      return false; // the provider's own end is on its way: nothing to stop
    }
    if (format == Format.ANTHROPIC && event.name() != null) {
      if (event.name().equals("content_block_start")) {
        openBlock = anthropicIndex(event);
      } else if (event.name().equals("content_block_stop")) {
        openBlock = -1;
      }
    }
    String piece = reader.textOf(event);
    if (!piece.isEmpty()) {
      streamed.append(piece);
      pieceTokens += metering.estimator().textTokens(call.facts().model(), piece);
    }
    if (cost(reader, countedTokens + pieceTokens) < stopAtNanos) {
      return false;
    }
    if (pieceTokens > 0) { // counted piece by piece, a little too much: count the whole before stopping
      countedTokens = metering.estimator().textTokens(call.facts().model(), streamed.toString());
      pieceTokens = 0;
    }
    return cost(reader, countedTokens) >= stopAtNanos;
  }

  private long cost(StreamUsageReader reader, long outputTokens) {
    long prompt = reader.partialUsage().map(TokenUsage::input).filter(p -> p > 0).orElse(promptTokens);
    String model = reader.model() != null ? reader.model() : call.facts().model();
    return metering.pricer().price(call.provider().id().id(), model, call.facts().model(),
        TokenUsage.of(prompt, outputTokens), grant.admittedAtMillis(), grant.pricing()).costNanos();
  }

  /** The end of the stream in its provider's format, as if the answer had reached its length limit. */
  byte[] end() {
    String end = switch (format) {
      case OPENAI_CHAT -> "data: {\"id\":\"" + call.requestId() + "\",\"object\":\"chat.completion.chunk\",\"created\":"
          + grant.admittedAtMillis() / 1000 + ",\"model\":\"" + jsonSafe(call.facts().model())
          + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n";
      case ANTHROPIC -> (openBlock >= 0 ? "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":"
          + openBlock + "}\n\n" : "")
          + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (countedTokens + pieceTokens) + "}}\n\n"
          + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
      case GEMINI -> "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
          + "\"finishReason\":\"MAX_TOKENS\",\"index\":0}]}\r\n\r\n";
    };
    return end.getBytes(StandardCharsets.UTF_8);
  }

  /** True for the events that end an answer in this format. */
  private boolean ends(SseEvent event) {
    String data = event.dataAsString();
    return switch (format) {
      case OPENAI_CHAT -> data != null && (data.trim().equals("[DONE]") || data.contains("\"finish_reason\":\""));
      case ANTHROPIC -> "message_delta".equals(event.name()) || "message_stop".equals(event.name());
      case GEMINI -> data != null && data.contains("\"finishReason\"");
    };
  }

  private static int anthropicIndex(SseEvent event) {
    JsonNode data = event.hasData() ? Json.treeOrNull(event.data()) : null;
    return data == null ? 0 : data.path("index").asInt(0);
  }

  /** The model name as the client sent it, safe inside a JSON string. */
  private static String jsonSafe(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
