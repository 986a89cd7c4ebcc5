package io.tollgate.node.http;

import io.tollgate.protocol.provider.ProviderId;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * A model listing as each provider's SDK asks for it ({@code models.list()}, {@code models.retrieve(id)}):
 * OpenAI's and the OpenAI-compatible providers' {@code /models}, Anthropic's {@code /v1/models}, Gemini's
 * {@code /v1beta/models}; {@code model} names one model, or is null for the list.
 */
public record ModelsTarget(ProviderId provider, String model) {
  /** The providers whose SDKs list models in OpenAI's format, at {@code {base}/models}. */
  static final Set<ProviderId> OPENAI_SHAPED = EnumSet.of(ProviderId.OPENAI, ProviderId.XAI, ProviderId.MISTRAL,
      ProviderId.GROQ, ProviderId.DEEPSEEK, ProviderId.TOGETHER, ProviderId.OPENROUTER);

  public static Optional<ModelsTarget> of(HttpRequest request) {
    String path = request.getUri().path();
    int second = path.indexOf('/', 1);
    Optional<ProviderId> prefixed = second > 1 ? ProviderId.fromId(path.substring(1, second)) : Optional.empty();
    if (prefixed.isPresent()) {
      ProviderId id = prefixed.get();
      String rest = path.substring(second);
      if (OPENAI_SHAPED.contains(id)) {
        return under(id, rest, "/models");
      }
      if (id == ProviderId.ANTHROPIC) {
        return under(id, rest, "/v1/models");
      }
      return id == ProviderId.GEMINI ? under(id, rest, "/v1beta/models").or(() -> under(id, rest, "/v1/models"))
          : Optional.empty();
    }
    if (path.startsWith("/v1beta/")) {
      return under(ProviderId.GEMINI, path, "/v1beta/models");
    }
    // The three SDKs share /v1/models: each tells itself by how it sends its key.
    ProviderId id = request.getHeader("anthropic-version").isPresent() || request.getHeader("x-api-key").isPresent()
        ? ProviderId.ANTHROPIC
        : request.getHeader("x-goog-api-key").isPresent() || request.getUri().query().get("key").isPresent()
            ? ProviderId.GEMINI : ProviderId.OPENAI;
    return under(id, path, "/v1/models");
  }

  private static Optional<ModelsTarget> under(ProviderId id, String path, String prefix) {
    if (path.equals(prefix)) {
      return Optional.of(new ModelsTarget(id, null));
    }
    if (path.startsWith(prefix + "/") && path.length() > prefix.length() + 1 && !path.contains(":")) {
      return Optional.of(new ModelsTarget(id, path.substring(prefix.length() + 1)));
    }
    return Optional.empty();
  }
}
