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
 * Counts tokens the way OpenAI's tokenizers do, for the rare request whose usage the upstream never
 * reported (client gone, stream cut). Prompt tokens follow OpenAI's chat accounting: each message costs
 * its content plus 3 tokens of framing (4 with a name), and 3 more prime the reply.
 */
public final class TokenEstimator {
  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

  public TokenUsage estimate(String model, byte[] requestBody, String streamedText) {
    Encoding encoding = encodingFor(model);
    return TokenUsage.of(promptTokens(encoding, requestBody), encoding.countTokens(streamedText));
  }

  long promptTokens(Encoding encoding, byte[] requestBody) {
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(requestBody);
    } catch (IOException e) {
      return 0;
    }
    long tokens = 3;
    for (JsonNode message : request.path("messages")) {
      tokens += message.has("name") ? 4 : 3;
      tokens += encoding.countTokens(message.path("role").asText(""));
      JsonNode content = message.get("content");
      if (content != null && content.isTextual()) {
        tokens += encoding.countTokens(content.asText());
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          tokens += encoding.countTokens(part.path("text").asText(""));
        }
      }
      if (message.has("name")) {
        tokens += encoding.countTokens(message.get("name").asText(""));
      }
      if (message.has("tool_calls")) {
        tokens += encoding.countTokens(message.get("tool_calls").toString());
      }
    }
    if (request.has("tools")) {
      tokens += encoding.countTokens(request.get("tools").toString());
    }
    return tokens;
  }

  Encoding encodingFor(String model) {
    String m = model == null ? "" : model;
    boolean legacy = m.startsWith("gpt-4-") || m.equals("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35");
    return registry.getEncoding(legacy ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
  }
}
