package io.tollgate.node.http;

import io.tollgate.node.request.Fallbacks;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** {@code X-Tollgate-Fallbacks: gpt-4o, mistral/mistral-large-latest}: the models a request names to fall back on. */
final class FallbacksHeader {
  static final String NAME = "X-Tollgate-Fallbacks";

  private FallbacksHeader() {}

  /** The models named, in order; null when the header is absent. */
  static List<String> read(HttpRequest request, Provider provider, Endpoint endpoint) {
    Optional<HttpHeader> header = request.getHeader(NAME);
    if (header.isEmpty()) {
      return null;
    }
    if (!Fallbacks.movable(provider, endpoint)) {
      throw new InvalidRequestException(NAME + " is for the chat completions API of the OpenAI-compatible providers"
          + " (OpenAI, Azure, xAI, Mistral, Groq, DeepSeek, Together, OpenRouter).");
    }
    List<String> models = new ArrayList<>();
    for (String part : header.get().value().split(",")) {
      models.add(part.trim());
    }
    try {
      Policy.checkCandidates(models);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(NAME + ": " + e.getMessage() + ", separated by commas.");
    }
    return models;
  }
}
