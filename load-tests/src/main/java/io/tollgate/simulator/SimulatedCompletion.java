package io.tollgate.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One simulated chat completion in OpenAI's wire format: the answer text, its usage, and the exact bytes
 * of the non-streamed body or of each streamed event. Deterministic for a given request, so a test can
 * compare what came through the gateway with what the simulator sends directly.
 */
final class SimulatedCompletion {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] WORDS = {"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."};
  /** Dated names the way OpenAI answers for an undated request, so pricing must resolve them. */
  private static final Map<String, String> DATED = Map.of(
      "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
      "gpt-4o", "gpt-4o-2024-08-06",
      "o3-mini", "o3-mini-2025-01-31");

  final String id;
  final long created;
  final String model;
  final List<String> tokens;
  final String finishReason;
  final long promptTokens;
  final long cachedTokens;
  final long reasoningTokens;

  SimulatedCompletion(JsonNode request, long sequence, int defaultCompletionTokens, Long cached, Long reasoning, Integer forcedTokens) {
    this.id = "chatcmpl-sim" + sequence;
    this.created = 1_780_000_000L + sequence;
    String requested = request.path("model").asText("gpt-4o-mini");
    this.model = DATED.getOrDefault(requested, requested);
    long cap = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens").asLong()
        : request.hasNonNull("max_tokens") ? request.get("max_tokens").asLong() : Long.MAX_VALUE;
    int wanted = forcedTokens != null ? forcedTokens : defaultCompletionTokens;
    int n = (int) Math.max(0, Math.min(wanted, cap));
    this.finishReason = n < wanted ? "length" : "stop";
    this.tokens = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tokens.add(WORDS[i % WORDS.length]);
    }
    this.promptTokens = promptTokens(request);
    this.cachedTokens = cached == null ? 0 : Math.min(cached, promptTokens);
    this.reasoningTokens = reasoning == null ? 0 : reasoning;
  }

  /** A stable stand-in for a tokenizer: about four characters a token, plus OpenAI's per-message framing. */
  static long promptTokens(JsonNode request) {
    long tokens = 3;
    for (JsonNode message : request.path("messages")) {
      JsonNode content = message.path("content");
      String text = content.isTextual() ? content.asText() : content.toString();
      tokens += 4 + (text.length() + 3) / 4;
    }
    return tokens;
  }

  long completionTokens() {
    return tokens.size() + reasoningTokens;
  }

  byte[] body() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id);
    root.put("object", "chat.completion");
    root.put("created", created);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", String.join("", tokens));
    message.putNull("refusal");
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    root.set("usage", usage());
    root.put("service_tier", "default");
    root.put("system_fingerprint", "fp_simulator");
    return bytes(root);
  }

  /** The streamed events, each a complete {@code data: ...\n\n}, ending with {@code [DONE]}. */
  List<byte[]> events(boolean includeUsage, int tokensPerChunk) {
    List<byte[]> events = new ArrayList<>();
    ObjectNode first = chunk(includeUsage);
    ObjectNode delta = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
    delta.put("role", "assistant");
    delta.put("content", "");
    delta.putNull("refusal");
    events.add(event(first));
    for (int i = 0; i < tokens.size(); i += Math.max(1, tokensPerChunk)) {
      ObjectNode c = chunk(includeUsage);
      String text = String.join("", tokens.subList(i, Math.min(tokens.size(), i + Math.max(1, tokensPerChunk))));
      ((ObjectNode) c.withArray("choices").get(0)).putObject("delta").put("content", text);
      events.add(event(c));
    }
    ObjectNode last = chunk(includeUsage);
    ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
    lastChoice.putObject("delta");
    lastChoice.put("finish_reason", finishReason);
    events.add(event(last));
    if (includeUsage) {
      ObjectNode usageChunk = header();
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage());
      events.add(event(usageChunk));
    }
    events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return events;
  }

  private ObjectNode chunk(boolean includeUsage) {
    ObjectNode c = header();
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    if (includeUsage) {
      c.putNull("usage");
    }
    return c;
  }

  private ObjectNode header() {
    ObjectNode c = MAPPER.createObjectNode();
    c.put("id", id);
    c.put("object", "chat.completion.chunk");
    c.put("created", created);
    c.put("model", model);
    c.put("service_tier", "default");
    c.put("system_fingerprint", "fp_simulator");
    return c;
  }

  private ObjectNode usage() {
    ObjectNode usage = MAPPER.createObjectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens());
    usage.put("total_tokens", promptTokens + completionTokens());
    ObjectNode prompt = usage.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", cachedTokens);
    prompt.put("audio_tokens", 0);
    ObjectNode completion = usage.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", reasoningTokens);
    completion.put("audio_tokens", 0);
    completion.put("accepted_prediction_tokens", 0);
    completion.put("rejected_prediction_tokens", 0);
    return usage;
  }

  private static byte[] event(ObjectNode chunk) {
    byte[] json = bytes(chunk);
    byte[] out = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(json, 0, out, 6, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
