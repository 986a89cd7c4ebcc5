package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.IOException;

/**
 * Reads the few facts the gateway needs from a JSON request of any format that always reports its usage
 * (nothing to ask for, nothing to hide): the model (from the body, else the path), whether it streams, its
 * output cap, and its end user, each at a path given per format.
 */
public final class JsonRequestInspector implements RequestInspector {
  private final String[] maxTokensPath;
  private final String[] userPath;

  /**
   * @param maxTokensPath where the output cap is, e.g. {@code {"max_tokens"}} or
   *     {@code {"generationConfig", "maxOutputTokens"}}; null when the format has none
   * @param userPath where the end user is, e.g. {@code {"metadata", "user_id"}}; null when none
   */
  public JsonRequestInspector(String[] maxTokensPath, String[] userPath) {
    this.maxTokensPath = maxTokensPath;
    this.userPath = userPath;
  }

  @Override
  public RequestFacts inspect(byte[] body, String pathModel, boolean pathStream) {
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidRequestException("We could not parse the JSON body of your request.");
    }
    if (request == null || !request.isObject()) {
      throw new InvalidRequestException("The request body must be a JSON object.");
    }
    JsonNode model = request.get("model");
    String name = model != null && model.isTextual() && !model.asText().isBlank() ? model.asText() : pathModel;
    if (name == null) {
      throw new InvalidRequestException("You must provide a model.");
    }
    boolean stream = pathStream || request.path("stream").asBoolean(false);
    JsonNode cap = at(request, maxTokensPath);
    Long maxTokens = cap != null && cap.canConvertToLong() ? Math.max(0, cap.asLong()) : null;
    JsonNode user = at(request, userPath);
    return new RequestFacts(name, stream, true, false, maxTokens, user != null && user.isTextual() ? user.asText() : null);
  }

  @Override
  public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
    return body;
  }

  private static JsonNode at(JsonNode node, String[] path) {
    if (path == null) {
      return null;
    }
    JsonNode n = node;
    for (String p : path) {
      n = n == null ? null : n.get(p);
    }
    return n;
  }
}
