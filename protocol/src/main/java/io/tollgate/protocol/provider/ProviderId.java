package io.tollgate.protocol.provider;

import java.util.Locale;
import java.util.Optional;

/**
 * The upstream providers Tollgate routes to. Each has a path prefix ({@code /openai/...}) and a public base
 * URL written as that provider's SDK writes it; operators override both credential and URL in config.
 * Azure has no public base URL: every Azure resource has its own.
 */
public enum ProviderId {
  OPENAI("https://api.openai.com/v1"),
  ANTHROPIC("https://api.anthropic.com"),
  GEMINI("https://generativelanguage.googleapis.com"),
  AZURE(null),
  XAI("https://api.x.ai/v1"),
  MISTRAL("https://api.mistral.ai/v1"),
  GROQ("https://api.groq.com/openai/v1"),
  DEEPSEEK("https://api.deepseek.com"),
  TOGETHER("https://api.together.xyz/v1"),
  OPENROUTER("https://openrouter.ai/api/v1"),
  COHERE("https://api.cohere.com");

  private final String defaultBaseUrl;

  ProviderId(String defaultBaseUrl) {
    this.defaultBaseUrl = defaultBaseUrl;
  }

  /** The lowercase name used in routes, config keys, metrics and records. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The provider's public base URL, or null when it has none (Azure). */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public static Optional<ProviderId> fromId(String id) {
    for (ProviderId p : values()) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
