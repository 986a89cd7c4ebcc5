package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.models.Model;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every SDK's models.list() through the gateway: the catalog's models this key may use, in its provider's format. */
class ModelListingTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;
  private static String narrow;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    StringBuilder providers = new StringBuilder();
    for (String provider : List.of("anthropic", "gemini", "groq")) {
      providers.append("tollgate.providers.").append(provider).append(".base-url = \"").append(simulator.baseUrl())
          .append("\"\n");
    }
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra(providers.toString()));
    node.admin().createOrg("lister", null);
    key = node.admin().issueKey("lister");
    AdminClient.Reply issued = node.admin().call("POST", "/admin/orgs/lister/keys",
        "{\"name\": \"mini\", \"allowed_models\": [\"gpt-4o-mini*\", \"claude-3-5-haiku*\"]}");
    narrow = issued.json().get("key").asText();
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  @Test
  void theOpenAiSdkListsAndRetrievesModels() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key).build();
    List<String> ids = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> ids.add(m.id()));
    assertTrue(ids.contains("gpt-4o-mini"), ids.toString());
    assertFalse(ids.stream().anyMatch(id -> id.startsWith("claude")), "OpenAI's models only");
    Model one = client.models().retrieve("gpt-4o-mini");
    assertEquals("gpt-4o-mini", one.id());
    assertThrows(NotFoundException.class, () -> client.models().retrieve("no-such-model"));

    OpenAIClient mini = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/openai").apiKey(narrow).build();
    List<String> allowed = new ArrayList<>();
    mini.models().list().autoPager().forEach(m -> allowed.add(m.id()));
    assertFalse(allowed.isEmpty());
    assertTrue(allowed.stream().allMatch(id -> id.startsWith("gpt-4o-mini")), "only what the key may use: " + allowed);
    assertThrows(NotFoundException.class, () -> mini.models().retrieve("gpt-4o"), "a model the key may not use");

    OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key + "x").build();
    assertThrows(UnauthorizedException.class, () -> wrong.models().list());
  }

  @Test
  void theAnthropicSdkListsModelsOnBothRoutes() {
    for (String base : List.of(node.baseUrl(), node.baseUrl() + "/anthropic")) {
      AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(base).apiKey(narrow).build();
      List<String> ids = new ArrayList<>();
      client.models().list().autoPager().forEach((ModelInfo m) -> ids.add(m.id()));
      assertFalse(ids.isEmpty(), base);
      assertTrue(ids.stream().allMatch(id -> id.startsWith("claude-3-5-haiku")), base + ": " + ids);
    }
  }

  @Test
  void geminiAndTheCompatibleProvidersListInTheirFormats() throws Exception {
    HttpResponse<String> gemini = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/v1beta/models")).header("x-goog-api-key", key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, gemini.statusCode(), gemini.body());
    JsonNode models = ProxyClient.json(gemini).get("models");
    assertTrue(models.size() > 0);
    assertTrue(models.get(0).get("name").asText().startsWith("models/gemini"), models.get(0).toString());
    for (JsonNode m : models) {
      assertFalse(m.get("name").asText().contains("claude"), "Google's own models only");
    }
    HttpResponse<String> one = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/gemini/v1beta/models/gemini-2.5-flash?key=" + key)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, one.statusCode(), one.body());
    assertEquals("models/gemini-2.5-flash", ProxyClient.json(one).get("name").asText());

    HttpResponse<String> groq = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/groq/models")).header("Authorization", "Bearer " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, groq.statusCode());
    assertEquals("list", ProxyClient.json(groq).get("object").asText());
    assertEquals("groq", ProxyClient.json(groq).at("/data/0/owned_by").asText());

    HttpResponse<String> keyless = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/v1beta/models")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, keyless.statusCode());
    HttpResponse<String> unconfigured = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/mistral/models")).header("Authorization", "Bearer " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, unconfigured.statusCode(), "mistral is not configured here: " + unconfigured.body());
    assertTrue(ProxyClient.json(keyless).at("/error/status").asText().length() > 0, "in Gemini's format: " + keyless.body());
  }
}
