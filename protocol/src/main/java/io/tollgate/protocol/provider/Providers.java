package io.tollgate.protocol.provider;

import io.tollgate.protocol.provider.anthropic.AnthropicErrorFormat;
import io.tollgate.protocol.provider.anthropic.AnthropicMessagesUsage;
import io.tollgate.protocol.provider.cohere.CohereChatUsage;
import io.tollgate.protocol.provider.cohere.CohereErrorFormat;
import io.tollgate.protocol.provider.gemini.GeminiErrorFormat;
import io.tollgate.protocol.provider.gemini.GeminiUsage;
import io.tollgate.protocol.provider.openai.OpenAiChatInspector;
import io.tollgate.protocol.provider.openai.OpenAiChatUsage;
import io.tollgate.protocol.provider.openai.OpenAiEmbeddingsUsage;
import io.tollgate.protocol.provider.openai.OpenAiErrorFormat;
import io.tollgate.protocol.provider.openai.OpenAiResponsesUsage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of providers. Adding a provider means adding its format classes (if its wire format is new)
 * and one entry here.
 */
public final class Providers {
  private static final Map<ProviderId, Provider> BY_ID = new EnumMap<>(ProviderId.class);
  private static final Pattern AZURE_DEPLOYMENT = Pattern.compile("^/openai/deployments/([^/]+)/.*$");
  private static final Pattern GEMINI_METHOD =
      Pattern.compile("^/(v1beta|v1|v1alpha)/models/([^/:]+):(generateContent|streamGenerateContent|embedContent|countTokens)$");

  static {
    ErrorFormat openAiErrors = new OpenAiErrorFormat();
    for (ProviderId id : List.of(ProviderId.OPENAI, ProviderId.AZURE, ProviderId.XAI, ProviderId.MISTRAL,
        ProviderId.GROQ, ProviderId.DEEPSEEK, ProviderId.TOGETHER, ProviderId.OPENROUTER)) {
      boolean azure = id == ProviderId.AZURE;
      register(new Provider(id,
          azure ? List.of(KeyPlacement.header("api-key"), KeyPlacement.BEARER) : List.of(KeyPlacement.BEARER),
          azure ? KeyPlacement.header("api-key") : KeyPlacement.BEARER,
          openAiErrors,
          openAiCompatible(id)));
    }
    register(new Provider(ProviderId.ANTHROPIC, List.of(KeyPlacement.header("x-api-key"), KeyPlacement.BEARER),
        KeyPlacement.header("x-api-key"), new AnthropicErrorFormat(), anthropic()));
    register(new Provider(ProviderId.GEMINI,
        List.of(KeyPlacement.header("x-goog-api-key"), KeyPlacement.query("key"), KeyPlacement.BEARER),
        KeyPlacement.header("x-goog-api-key"), new GeminiErrorFormat(), gemini()));
    register(new Provider(ProviderId.COHERE, List.of(KeyPlacement.BEARER), KeyPlacement.BEARER,
        new CohereErrorFormat(), cohere()));
  }

  private Providers() {}

  private static void register(Provider provider) {
    BY_ID.put(provider.id(), provider);
  }

  public static Provider get(ProviderId id) {
    Provider provider = BY_ID.get(id);
    if (provider == null) {
      throw new IllegalArgumentException("no provider registered for " + id);
    }
    return provider;
  }

  /**
   * OpenAI's APIs as the compatible providers serve them. Only OpenAI and Azure are asked for stream usage
   * (the others always send it and some refuse unknown parameters); xAI's chat leaves reasoning out of
   * completion tokens.
   */
  private static Provider.Endpoints openAiCompatible(ProviderId id) {
    boolean asksForStreamUsage = id == ProviderId.OPENAI || id == ProviderId.AZURE;
    RequestInspector chatInspector = asksForStreamUsage ? new OpenAiChatInspector() : new ReportsUsageAnyway();
    UsageExtractor chatUsage = new OpenAiChatUsage(id == ProviderId.XAI);
    Endpoint chat = new Endpoint("chat", chatInspector, chatUsage, true, null, false);
    Endpoint completions = new Endpoint("completions", chatInspector, chatUsage, true, null, false);
    Endpoint responses = new Endpoint("responses",
        new JsonRequestInspector(new String[] {"max_output_tokens"}, new String[] {"user"}),
        new OpenAiResponsesUsage(), true, null, false);
    Endpoint embeddings = new Endpoint("embeddings",
        new JsonRequestInspector(null, new String[] {"user"}), new OpenAiEmbeddingsUsage(), true, null, false);
    return path -> {
      Optional<Endpoint> endpoint = path.endsWith("/chat/completions") ? Optional.of(chat)
          : path.endsWith("/responses") ? Optional.of(responses)
          : path.endsWith("/embeddings") ? Optional.of(embeddings)
          : path.endsWith("/completions") ? Optional.of(completions)
          : Optional.empty();
      Matcher deployment = AZURE_DEPLOYMENT.matcher(path);
      return id == ProviderId.AZURE && deployment.matches()
          ? endpoint.map(e -> e.withPathModel(deployment.group(1), false))
          : endpoint;
    };
  }

  private static Provider.Endpoints anthropic() {
    Endpoint messages = new Endpoint("messages",
        new JsonRequestInspector(new String[] {"max_tokens"}, new String[] {"metadata", "user_id"}),
        new AnthropicMessagesUsage(), true, null, false);
    Endpoint countTokens = new Endpoint("count_tokens", messages.inspector(), messages.usage(), false, null, false);
    return path -> switch (path) {
      case "/v1/messages" -> Optional.of(messages);
      case "/v1/messages/count_tokens" -> Optional.of(countTokens);
      default -> Optional.empty();
    };
  }

  private static Provider.Endpoints gemini() {
    RequestInspector inspector = new JsonRequestInspector(new String[] {"generationConfig", "maxOutputTokens"}, null);
    UsageExtractor usage = new GeminiUsage();
    return path -> {
      Matcher m = GEMINI_METHOD.matcher(path);
      if (!m.matches()) {
        return Optional.empty();
      }
      String method = m.group(3);
      return Optional.of(new Endpoint(method, inspector, usage, !method.equals("countTokens"), m.group(2),
          method.equals("streamGenerateContent")));
    };
  }

  private static Provider.Endpoints cohere() {
    Endpoint chat = new Endpoint("chat", new JsonRequestInspector(new String[] {"max_tokens"}, null),
        new CohereChatUsage(), true, null, false);
    return path -> path.equals("/v2/chat") ? Optional.of(chat) : Optional.empty();
  }

  /** OpenAI-shaped chat requests to providers that report stream usage unasked: read, never rewritten. */
  private static final class ReportsUsageAnyway implements RequestInspector {
    private final OpenAiChatInspector openAi = new OpenAiChatInspector();

    @Override
    public RequestFacts inspect(byte[] body, String pathModel, boolean pathStream) {
      RequestFacts facts = openAi.inspect(body, pathModel, pathStream);
      return new RequestFacts(facts.model(), facts.stream(), true, facts.streamOptionsPresent(),
          facts.maxOutputTokens(), facts.user());
    }

    @Override
    public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
      return body;
    }
  }
}
