package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProvidersTest {

  private static Endpoint endpoint(ProviderId provider, String path) {
    return Providers.get(provider).endpoint(path).orElseThrow(() -> new AssertionError(provider + " " + path));
  }

  @Test
  void everyProviderIsRegistered() {
    for (ProviderId id : ProviderId.values()) {
      assertEquals(id, Providers.get(id).id());
    }
  }

  @Test
  void pathsResolveToTheirApi() {
    assertEquals("chat", endpoint(ProviderId.OPENAI, "/chat/completions").api());
    assertEquals("responses", endpoint(ProviderId.OPENAI, "/responses").api());
    assertEquals("embeddings", endpoint(ProviderId.OPENAI, "/embeddings").api());
    assertEquals("completions", endpoint(ProviderId.OPENAI, "/completions").api());
    assertEquals("chat", endpoint(ProviderId.GROQ, "/chat/completions").api());
    assertEquals("messages", endpoint(ProviderId.ANTHROPIC, "/v1/messages").api());
    assertEquals("chat", endpoint(ProviderId.COHERE, "/v2/chat").api());
    assertTrue(Providers.get(ProviderId.OPENAI).endpoint("/models").isEmpty());
    assertTrue(Providers.get(ProviderId.ANTHROPIC).endpoint("/v1/complete").isEmpty());
  }

  @Test
  void onlyTheExactPathsOfAnApiResolveSoNoOtherPathGetsTheOperatorsCredential() {
    for (ProviderId id : new ProviderId[] {ProviderId.OPENAI, ProviderId.XAI, ProviderId.GROQ, ProviderId.OPENROUTER}) {
      Provider provider = Providers.get(id);
      assertTrue(provider.endpoint("/foo/chat/completions").isEmpty(), id.id());
      assertTrue(provider.endpoint("/v1/chat/completions/x").isEmpty(), id.id());
      assertTrue(provider.endpoint("/files/completions").isEmpty(), id.id());
    }
    Provider azure = Providers.get(ProviderId.AZURE);
    assertEquals("chat", azure.endpoint("/openai/deployments/eu-prod.v2/chat/completions").orElseThrow().api());
    assertEquals("responses", azure.endpoint("/openai/v1/responses").orElseThrow().api());
    assertTrue(azure.endpoint("/openai/deployments/a%2Fb/chat/completions").isEmpty());
    assertTrue(azure.endpoint("/openai/deployments/a%00/chat/completions").isEmpty());
    assertTrue(azure.endpoint("/openai/deployments/a/b/chat/completions").isEmpty());
    assertTrue(azure.endpoint("/chat/completions").isEmpty(), "Azure serves deployments or its v1 API");
    assertTrue(Providers.get(ProviderId.GEMINI).endpoint("/v1beta/models/gemini%00:generateContent").isEmpty());
  }

  @Test
  void tokenCountingIsPassedThroughUnmetered() {
    assertFalse(endpoint(ProviderId.ANTHROPIC, "/v1/messages/count_tokens").metered());
    assertFalse(endpoint(ProviderId.GEMINI, "/v1beta/models/gemini-2.5-flash:countTokens").metered());
    assertTrue(endpoint(ProviderId.ANTHROPIC, "/v1/messages").metered());
    Endpoint batch = endpoint(ProviderId.GEMINI, "/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertTrue(batch.metered(), "@google/genai's embedContent calls it: metered like embedContent");
    assertEquals("batchEmbedContents", batch.api());
  }

  @Test
  void geminiAndAzureNameTheModelInThePath() {
    Endpoint stream = endpoint(ProviderId.GEMINI, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertEquals("gemini-2.5-flash", stream.pathModel());
    assertTrue(stream.pathStream());
    RequestFacts facts = stream.inspector().inspect(
        "{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":64}}".getBytes(StandardCharsets.UTF_8),
        stream.pathModel(), stream.pathStream());
    assertEquals("gemini-2.5-flash", facts.model());
    assertTrue(facts.stream());
    assertEquals(64L, facts.maxOutputTokens());
    assertFalse(endpoint(ProviderId.GEMINI, "/v1beta/models/gemini-2.5-flash:generateContent").pathStream());

    Endpoint azure = endpoint(ProviderId.AZURE, "/openai/deployments/prod-gpt4o/chat/completions");
    assertEquals("prod-gpt4o", azure.pathModel());
    RequestFacts azureFacts = azure.inspector().inspect(
        "{\"messages\":[],\"stream\":true}".getBytes(StandardCharsets.UTF_8), azure.pathModel(), false);
    assertEquals("prod-gpt4o", azureFacts.model());
  }

  @Test
  void onlyOpenAiAndAzureAreAskedForStreamUsage() {
    byte[] body = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    for (ProviderId id : new ProviderId[] {ProviderId.OPENAI, ProviderId.AZURE, ProviderId.MISTRAL, ProviderId.GROQ}) {
      RequestInspector inspector = endpoint(id, id == ProviderId.AZURE ? "/openai/v1/chat/completions" : "/chat/completions")
          .inspector();
      boolean asked = inspector.askForStreamUsage(body, inspector.inspect(body)) != body;
      assertEquals(id == ProviderId.OPENAI || id == ProviderId.AZURE, asked, id.toString());
    }
  }

  @Test
  void anthropicRequestsAreRead() {
    RequestFacts facts = endpoint(ProviderId.ANTHROPIC, "/v1/messages").inspector().inspect(
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"metadata\":{\"user_id\":\"u-1\"}}"
            .getBytes(StandardCharsets.UTF_8));
    assertEquals("claude-sonnet-4-5", facts.model());
    assertEquals(1024L, facts.maxOutputTokens());
    assertTrue(facts.stream());
    assertEquals("u-1", facts.user());
  }

  @Test
  void errorsAreInEachProvidersShape() throws Exception {
    GatewayError limited = new GatewayError(ErrorKind.RATE_LIMITED, "slow down", "requests");
    JsonNode anthropic = Json.MAPPER.readTree(Providers.get(ProviderId.ANTHROPIC).errors().render(limited));
    assertEquals("error", anthropic.get("type").asText());
    assertEquals("rate_limit_error", anthropic.at("/error/type").asText());
    assertEquals("slow down", anthropic.at("/error/message").asText());
    JsonNode gemini = Json.MAPPER.readTree(Providers.get(ProviderId.GEMINI).errors().render(limited));
    assertEquals(429, gemini.at("/error/code").asInt());
    assertEquals("RESOURCE_EXHAUSTED", gemini.at("/error/status").asText());
    JsonNode cohere = Json.MAPPER.readTree(Providers.get(ProviderId.COHERE).errors().render(limited));
    assertEquals("slow down", cohere.get("message").asText());
    JsonNode key = Json.MAPPER.readTree(Providers.get(ProviderId.ANTHROPIC).errors().render(
        GatewayError.of(ErrorKind.INVALID_KEY, "no")));
    assertEquals("authentication_error", key.at("/error/type").asText());
    assertSame(Providers.get(ProviderId.OPENAI).errors(), Providers.get(ProviderId.XAI).errors());
  }
}
