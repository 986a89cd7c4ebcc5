package io.tollgate.protocol.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.GatewayError;

/** Anthropic's error body: {@code {"type":"error","error":{"type","message"}}}. */
public final class AnthropicErrorFormat implements ErrorFormat {

  @Override
  public byte[] render(GatewayError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    ObjectNode body = root.putObject("error");
    body.put("type", switch (error.kind()) {
      case INVALID_REQUEST, IDEMPOTENCY_CONFLICT, IDEMPOTENCY_MISMATCH -> "invalid_request_error";
      case INVALID_KEY -> "authentication_error";
      case MODEL_NOT_ALLOWED, PROVIDER_NOT_CONFIGURED, FORBIDDEN -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case BODY_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED, QUOTA_EXCEEDED -> "rate_limit_error";
      case UNAVAILABLE -> "overloaded_error";
      case INTERNAL, UPSTREAM_FAILURE, UPSTREAM_TIMEOUT -> "api_error";
    });
    body.put("message", error.message());
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
