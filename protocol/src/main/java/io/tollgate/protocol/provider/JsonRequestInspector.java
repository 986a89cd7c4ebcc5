package io.tollgate.protocol.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.math.BigDecimal;

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
    JsonNode request = object(body);
    JsonNode model = request.get("model");
    String name = model != null && model.isTextual() && !model.asText().isBlank() ? model.asText() : pathModel;
    if (name == null) {
      throw new InvalidRequestException("You must provide a model.");
    }
    boolean stream = pathStream || request.path("stream").asBoolean(false);
    JsonNode cap = at(request, maxTokensPath);
    Long maxTokens = cap != null && cap.isNumber() ? count(cap.decimalValue()) : null;
    JsonNode user = at(request, userPath);
    return new RequestFacts(name, stream, true, false, maxTokens, user != null && user.isTextual() ? user.asText() : null);
  }

  @Override
  public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
    return body;
  }

  /** The body as a JSON object. @throws InvalidRequestException when it is not one */
  public static JsonNode object(byte[] body) {
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(unparsable(e));
    } catch (IOException e) {
      throw new InvalidRequestException("We could not read the body of your request.");
    }
    if (request == null || !request.isObject()) {
      throw new InvalidRequestException("The request body must be a JSON object.");
    }
    return request;
  }

  /**
   * A token count given as any JSON number: whole numbers as they are (negative as 0), one past {@code long}
   * as the largest (refused by {@link RequestFacts}), a fraction as absent.
   */
  public static Long count(BigDecimal number) {
    if (number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    if (number.signum() <= 0) {
      return 0L;
    }
    return number.stripTrailingZeros().scale() <= 0 ? number.longValue() : null;
  }

  /** A parse error for the caller: where it failed, without the parser's own words (they name its internals). */
  public static String unparsable(JsonProcessingException e) {
    var at = e.getLocation();
    return at == null || at.getLineNr() < 0 ? "We could not parse the JSON body of your request."
        : "We could not parse the JSON body of your request (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").";
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
