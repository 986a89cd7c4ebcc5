package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.GatewayError;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrorFormat implements ErrorFormat {

  @Override
  public byte[] render(GatewayError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode body = root.putObject("error");
    body.put("message", error.message());
    body.put("type", type(error));
    body.putNull("param");
    body.put("code", code(error));
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String type(GatewayError error) {
    return switch (error.kind()) {
      case INVALID_REQUEST, INVALID_KEY, MODEL_NOT_ALLOWED, PROVIDER_NOT_CONFIGURED, FORBIDDEN, NOT_FOUND, BODY_TOO_LARGE,
          IDEMPOTENCY_CONFLICT, IDEMPOTENCY_MISMATCH -> "invalid_request_error";
      case RATE_LIMITED -> error.limit() == null ? "requests" : error.limit();
      case QUOTA_EXCEEDED -> "insufficient_quota";
      case INTERNAL, UPSTREAM_FAILURE, UNAVAILABLE, UPSTREAM_TIMEOUT -> "server_error";
    };
  }

  private static String code(GatewayError error) {
    return switch (error.kind()) {
      case INVALID_REQUEST -> null;
      case INVALID_KEY -> "invalid_api_key";
      case MODEL_NOT_ALLOWED -> "model_not_allowed";
      case PROVIDER_NOT_CONFIGURED -> "provider_not_configured";
      case FORBIDDEN -> "permission_denied";
      case NOT_FOUND -> "unknown_url";
      case BODY_TOO_LARGE -> "request_too_large";
      case IDEMPOTENCY_CONFLICT -> "idempotency_conflict";
      case IDEMPOTENCY_MISMATCH -> "idempotency_key_reused";
      case RATE_LIMITED -> "rate_limit_exceeded";
      case QUOTA_EXCEEDED -> "insufficient_quota";
      case INTERNAL -> "internal_error";
      case UPSTREAM_FAILURE -> "upstream_error";
      case UNAVAILABLE -> "service_unavailable";
      case UPSTREAM_TIMEOUT -> "upstream_timeout";
    };
  }
}
