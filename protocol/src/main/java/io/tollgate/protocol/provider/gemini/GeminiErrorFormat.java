package io.tollgate.protocol.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.GatewayError;
import java.nio.charset.StandardCharsets;

/** Google's error body: {@code {"error":{"code","message","status"}}}. */
public final class GeminiErrorFormat implements ErrorFormat {

  @Override
  public byte[] render(GatewayError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode body = root.putObject("error");
    body.put("code", error.status());
    body.put("message", error.message());
    body.put("status", switch (error.kind()) {
      case INVALID_REQUEST, BODY_TOO_LARGE, IDEMPOTENCY_MISMATCH -> "INVALID_ARGUMENT";
      case IDEMPOTENCY_CONFLICT -> "ABORTED";
      case INVALID_KEY -> "UNAUTHENTICATED";
      case MODEL_NOT_ALLOWED, PROVIDER_NOT_CONFIGURED, FORBIDDEN -> "PERMISSION_DENIED";
      case NOT_FOUND -> "NOT_FOUND";
      case RATE_LIMITED, QUOTA_EXCEEDED -> "RESOURCE_EXHAUSTED";
      case UNAVAILABLE, UPSTREAM_FAILURE -> "UNAVAILABLE";
      case UPSTREAM_TIMEOUT -> "DEADLINE_EXCEEDED";
      case INTERNAL -> "INTERNAL";
    });
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
