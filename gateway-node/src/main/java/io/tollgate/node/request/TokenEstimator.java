package io.tollgate.node.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.TokenUsage;
import java.io.IOException;

/**
 * Counts tokens for the rare request whose usage the upstream never reported (client gone, stream cut):
 * every text of the request (messages, system prompt, contents, tool definitions, whatever the format) and
 * of what was streamed, with OpenAI's tokenizers, plus OpenAI's 3 tokens of framing per message. Exact in
 * spirit for OpenAI-family models; for Anthropic, Gemini and Cohere models it is an estimate (their
 * tokenizers are not public), and records say so ({@code estimated}).
 */
public final class TokenEstimator {
  private static final java.util.Set<String> NOT_PROMPT =
      java.util.Set.of("model", "role", "type", "id", "tool_call_id", "user", "mime_type", "mimeType", "stop");
  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

  public TokenUsage estimate(String model, byte[] requestBody, String streamedText) {
    Encoding encoding = encodingFor(model);
    return TokenUsage.of(promptTokens(encoding, requestBody), encoding.countTokens(streamedText));
  }

  /** The prompt tokens of a request body, counted as {@link #estimate} counts them. */
  public long promptTokens(String model, byte[] requestBody) {
    return promptTokens(encodingFor(model), requestBody);
  }

  /** The tokens of a piece of streamed text. */
  public long textTokens(String model, String text) {
    return encodingFor(model).countTokens(text);
  }

  long promptTokens(Encoding encoding, byte[] requestBody) {
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(requestBody);
    } catch (IOException e) {
      return 0;
    }
    long framing = 3 + 3L * request.path("messages").size(); // OpenAI's per-message framing, close enough elsewhere
    return framing + textTokens(encoding, request, null);
  }

  /** Tokens of every text in a request (any format's messages, system prompt, contents, tools), ids aside. */
  private static long textTokens(Encoding encoding, JsonNode node, String field) {
    if (node.isTextual()) {
      return field != null && NOT_PROMPT.contains(field) ? 0 : encoding.countTokens(node.asText());
    }
    long tokens = 0;
    if (node.isObject()) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        tokens += textTokens(encoding, e.getValue(), e.getKey());
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        tokens += textTokens(encoding, item, field);
      }
    }
    return tokens;
  }

  Encoding encodingFor(String model) {
    String m = model == null ? "" : model;
    boolean legacy = m.startsWith("gpt-4-") || m.equals("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35");
    return registry.getEncoding(legacy ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
  }
}
