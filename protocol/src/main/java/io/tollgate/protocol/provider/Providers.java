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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of providers. Adding a provider means adding its format classes (if its wire format is new)
 * and one entry here.
 */
public final class Providers {
  private static final Map<ProviderId, Provider> BY_ID = new EnumMap<>(ProviderId.class);
  /** Azure's deployment names (letters, digits, '.', '_', '-'): anything else in the path is no deployment. */
  private static final Pattern AZURE_DEPLOYMENT = Pattern.compile("^/openai/deployments/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(/.+)$");
  private static final Pattern GEMINI_METHOD = Pattern.compile(
      "^/(v1beta|v1|v1alpha)/models/([A-Za-z0-9][A-Za-z0-9._-]{0,127}):(generateContent|streamGenerateContent|embedContent|batchEmbedContents|countTokens)$");

  static {
    ErrorFormat openAiErrors = new OpenAiErrorFormat();
    for (ProviderId id : List.of(ProviderId.OPENAI, ProviderId.AZURE, ProviderId.XAI, ProviderId.MISTRAL,
        ProviderId.GROQ, ProviderId.DEEPSEEK, ProviderId.TOGETHER, ProviderId.OPENROUTER)) {
      boolean azure = id == ProviderId.AZURE;
      register(new Provider(id,
          azure ? List.of(KeyPlacement.header("api-key"), KeyPlacement.BEARER) : List.of(KeyPlacement.BEARER),
          azure ? KeyPlacement.header("api-key") : KeyPlacement.BEARER,
          openAiErrors,
          openAiCompatible(id),
          // OpenRouter's app attribution headers name the calling app on its leaderboard, nothing billed.
          id == ProviderId.OPENROUTER ? headers("openai-beta", "http-referer", "x-title") : headers("openai-beta")));
    }
    register(new Provider(ProviderId.ANTHROPIC, List.of(KeyPlacement.header("x-api-key"), KeyPlacement.BEARER),
        KeyPlacement.header("x-api-key"), new AnthropicErrorFormat(), anthropic(),
        headers("anthropic-version", "anthropic-beta")));
    register(new Provider(ProviderId.GEMINI,
        List.of(KeyPlacement.header("x-goog-api-key"), KeyPlacement.query("key"), KeyPlacement.BEARER),
        KeyPlacement.header("x-goog-api-key"), new GeminiErrorFormat(), gemini(), headers()));
    register(new Provider(ProviderId.COHERE, List.of(KeyPlacement.BEARER), KeyPlacement.BEARER,
        new CohereErrorFormat(), cohere(), headers("x-client-name")));
  }

  private Providers() {}

  /** What every provider's clients may send, and the provider's own headers on top. */
  private static Set<String> headers(String... own) {
    Set<String> names = new HashSet<>(Set.of("accept", "user-agent"));
    names.addAll(List.of(own));
    return Set.copyOf(names);
  }

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
    // Exact paths only: the operator's credential goes to the API the client named, nowhere else under it.
    Map<String, Endpoint> byPath = Map.of("/chat/completions", chat, "/completions", completions,
        "/responses", responses, "/embeddings", embeddings);
    Provider.Endpoints all = (method, path) -> method.equals("POST") && byPath.containsKey(path)
        ? Optional.of(byPath.get(path)) : ResourceEndpoints.openAi(method, path);
    if (id != ProviderId.AZURE) {
      return all;
    }
    return (method, path) -> {
      if (path.startsWith("/openai/v1/")) { // Azure's v1 API names the model in the body
        return all.resolve(method, path.substring("/openai/v1".length()));
      }
      Matcher deployment = AZURE_DEPLOYMENT.matcher(path);
      if (deployment.matches()) {
        return all.resolve(method, deployment.group(2)).map(e -> e.withPathModel(deployment.group(1), false));
      }
      // Files and batches are the resource's, under /openai (with an api-version query).
      return path.startsWith("/openai/") ? ResourceEndpoints.openAi(method, path.substring("/openai".length()))
          : Optional.empty();
    };
  }

  private static Provider.Endpoints anthropic() {
    Endpoint messages = new Endpoint("messages",
        new JsonRequestInspector(new String[] {"max_tokens"}, new String[] {"metadata", "user_id"}),
        new AnthropicMessagesUsage(), true, null, false);
    Endpoint countTokens = new Endpoint("count_tokens", messages.inspector(), messages.usage(), false, null, false);
    Map<String, Endpoint> byPath = Map.of("/v1/messages", messages, "/v1/messages/count_tokens", countTokens);
    return (method, path) -> method.equals("POST") && byPath.containsKey(path) ? Optional.of(byPath.get(path))
        : ResourceEndpoints.anthropic(method, path);
  }

  private static Provider.Endpoints gemini() {
    RequestInspector inspector = new JsonRequestInspector(new String[] {"generationConfig", "maxOutputTokens"}, null);
    UsageExtractor usage = new GeminiUsage();
    return (httpMethod, path) -> {
      Matcher m = GEMINI_METHOD.matcher(path);
      if (!httpMethod.equals("POST") || !m.matches()) {
        return ResourceEndpoints.gemini(httpMethod, path);
      }
      String method = m.group(3);
      return Optional.of(new Endpoint(method, inspector, usage, !method.equals("countTokens"), m.group(2),
          method.equals("streamGenerateContent")));
    };
  }

  private static Provider.Endpoints cohere() {
    Endpoint chat = new Endpoint("chat", new JsonRequestInspector(new String[] {"max_tokens"}, null),
        new CohereChatUsage(), true, null, false);
    return (method, path) -> method.equals("POST") && path.equals("/v2/chat") ? Optional.of(chat) : Optional.empty();
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
