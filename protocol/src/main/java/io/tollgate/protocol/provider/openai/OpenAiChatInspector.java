package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.JsonRequestInspector;
import io.tollgate.protocol.provider.RequestFacts;
import io.tollgate.protocol.provider.RequestInspector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads an OpenAI chat-completions request with a streaming parser: it validates the whole body as JSON but
 * only materializes the few top-level fields the gateway needs, so large prompts cost one pass and no tree.
 */
public final class OpenAiChatInspector implements RequestInspector {
  private static final byte[] STREAM_USAGE_FIELD =
      "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

  @Override
  public RequestFacts inspect(byte[] body, String pathModel, boolean pathStream) {
    String model = null;
    boolean stream = false;
    boolean includeUsage = false;
    boolean streamOptions = false;
    Long maxTokens = null;
    Long maxCompletionTokens = null;
    String user = null;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRequestException("The request body must be a JSON object.");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : invalid("'model' must be a string.");
          case "stream" -> stream = value == JsonToken.VALUE_TRUE;
          case "stream_options" -> {
            if (value == JsonToken.START_OBJECT) {
              streamOptions = true;
              includeUsage = readIncludeUsage(p);
            } else {
              p.skipChildren();
            }
          }
          case "max_tokens" -> maxTokens = readCount(p, value);
          case "max_completion_tokens" -> maxCompletionTokens = readCount(p, value);
          case "user" -> user = value == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new InvalidRequestException("Unexpected content after the JSON body.");
      }
    } catch (JsonProcessingException e) {
      // The parser's own message names its internals (feature flags, classes): say only where it failed.
      throw new InvalidRequestException(JsonRequestInspector.unparsable(e));
    } catch (IOException e) {
      throw new InvalidRequestException("We could not read the body of your request.");
    }
    if (model == null || model.isBlank()) {
      model = pathModel; // Azure names the deployment in the path, not the body
    }
    if (model == null || model.isBlank()) {
      throw new InvalidRequestException("You must provide a model parameter.");
    }
    Long cap = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    return new RequestFacts(model, stream, stream && includeUsage, streamOptions, cap, user);
  }

  @Override
  public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
    if (!facts.stream() || facts.clientWantsStreamUsage()) {
      return body;
    }
    if (!facts.streamOptionsPresent()) {
      return spliceAfterOpeningBrace(body);
    }
    try {
      // Rare: the client sent stream_options without include_usage; rewrite that one field.
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(body);
      ((ObjectNode) root.get("stream_options")).put("include_usage", true);
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new InvalidRequestException("We could not parse the JSON body of your request.");
    }
  }

  private static byte[] spliceAfterOpeningBrace(byte[] body) {
    int brace = 0;
    while (brace < body.length && body[brace] != '{') {
      brace++;
    }
    byte[] out = new byte[body.length + STREAM_USAGE_FIELD.length];
    System.arraycopy(body, 0, out, 0, brace + 1);
    System.arraycopy(STREAM_USAGE_FIELD, 0, out, brace + 1, STREAM_USAGE_FIELD.length);
    System.arraycopy(body, brace + 1, out, brace + 1 + STREAM_USAGE_FIELD.length, body.length - brace - 1);
    return out;
  }

  private static boolean readIncludeUsage(JsonParser p) throws IOException {
    boolean include = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("include_usage")) {
        include = value == JsonToken.VALUE_TRUE;
      } else {
        p.skipChildren();
      }
    }
    return include;
  }

  /** A token count; one too large for a {@code long} reads as the largest, which the facts then refuse. */
  private static Long readCount(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : Math.max(0, p.getLongValue());
    }
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      return JsonRequestInspector.count(p.getDecimalValue());
    }
    p.skipChildren();
    return null;
  }

  private static String invalid(String message) {
    throw new InvalidRequestException(message);
  }

  /** Reads a JSON body into a tree; null when it is not JSON. Used off the hot path only. */}
