package io.tollgate.protocol.provider.cohere;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.GatewayError;
import java.nio.charset.StandardCharsets;

/** Cohere's error body: {@code {"message": ...}}; the status says the rest. */
public final class CohereErrorFormat implements ErrorFormat {

  @Override
  public byte[] render(GatewayError error) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("message", error.message());
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
