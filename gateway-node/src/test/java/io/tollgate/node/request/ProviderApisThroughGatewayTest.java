package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.files.FileListPage;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.responses.Response;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The providers' APIs beyond generation through a real node, PostgreSQL and the simulator (replaying answers shaped
 * as the providers document them), called with the official OpenAI SDK where it has them: images billed per image
 * at their size and quality, speech per character, Whisper per second of audio, files and batches at no cost,
 * a batch's output and a background response billed once however often read, Anthropic's batch results at the
 * batch rate. Each on record in the request log at the cost its answer said.
 */
class ProviderApisThroughGatewayTest {
  private static UpstreamSimulator simulator;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
        .withExtra("tollgate.providers.anthropic.base-url = \"http://127.0.0.1:" + simulator.port() + "\"\n"
            + "tollgate.providers.gemini.base-url = \"http://127.0.0.1:" + simulator.port() + "\"\n"));
    node.admin().createOrg("apis", null);
    key = node.admin().issueKey("apis");
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  /** An OpenAI client of the gateway whose requests the simulator answers with the replay {@code name}. */
  private static OpenAIClient openAi(String replay, String answer) {
    simulator.addReplay(replay, answer.getBytes(StandardCharsets.UTF_8), 200);
    return OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key).putHeader("X-Sim-Replay", replay)
        .maxRetries(0).build();
  }

  private static String header(HttpResponse response, String name) {
    return response.headers().values(name).isEmpty() ? null : response.headers().values(name).get(0);
  }

  private static byte[] bytes(HttpResponse response) {
    try (InputStream body = response.body()) {
      return body.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode logged(HttpResponse response) {
    return node.admin().logged("apis", header(response, "X-Request-ID"));
  }

  @Test
  void imagesAreBilledPerImageAtTheirSizeAndQuality() {
    OpenAIClient client = openAi("dalle", "{\"created\": 1733000000, \"data\": [{\"url\": \"https://img/1.png\","
        + " \"revised_prompt\": \"a red fox\"}, {\"url\": \"https://img/2.png\"}]}");
    HttpResponseFor<ImagesResponse> response = client.images().withRawResponse().generate(ImageGenerateParams.builder()
        .model("dall-e-3").prompt("a fox").n(2).size(ImageGenerateParams.Size._1024X1792)
        .quality(ImageGenerateParams.Quality.HD).build());
    assertEquals(2, response.parse().data().orElseThrow().size());
    assertEquals("0.240000000", header(response, "X-Tollgate-Cost-USD"), "two HD portrait images at $0.12");
    JsonNode record = logged(response);
    assertEquals("images", record.get("api").asText());
    assertEquals("dall-e-3", record.get("model").asText());
    assertEquals("0.240000000", record.get("cost_usd").asText());
    assertEquals(0, record.get("flags").size(), record.toString());
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    io.tollgate.node.testkit.Eventually.await(java.time.Duration.ofSeconds(20), () -> {
      JsonNode invoice = node.admin().call("GET", "/admin/orgs/apis/invoice?month=" + month, null).json();
      JsonNode line = null;
      for (JsonNode l : invoice.get("lines")) {
        if (l.get("model").asText().equals("dall-e-3")) {
          line = l;
        }
      }
      assertTrue(line != null, invoice.toString());
      assertEquals("image", line.get("token_class").asText());
      assertEquals("images", line.get("unit").asText());
      assertEquals(2, line.get("tokens").asLong());
      assertEquals("0.240000000", line.get("amount_usd").asText());
    });
  }

  @Test
  void speechIsPassedOnAsAudioAndBilledPerCharacter() {
    byte[] audio = new byte[2048];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i * 31);
    }
    simulator.addReplay("speech.mp3", audio, 200);
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key)
        .putHeader("X-Sim-Replay", "speech.mp3").maxRetries(0).build();
    String input = "Hello, and welcome to the show."; // 31 characters at $15 per million
    HttpResponse response = client.audio().speech().create(SpeechCreateParams.builder().model("tts-1")
        .voice("alloy").input(input).build());
    assertArrayEquals(audio, bytes(response), "the audio byte for byte");
    assertEquals("audio/mpeg", header(response, "Content-Type"));
    assertEquals("0.000465000", header(response, "X-Tollgate-Cost-USD"));
    assertEquals("speech", logged(response).get("api").asText());
  }

  @Test
  void aTranscriptionGoesUpAsTheSameFormAndIsBilledPerSecond() {
    OpenAIClient client = openAi("whisper", "{\"text\": \"Hello there.\", \"usage\": {\"type\": \"duration\", \"seconds\": 61.3}}");
    byte[] wav = "RIFF fake wave file for the test".getBytes(StandardCharsets.US_ASCII);
    HttpResponseFor<TranscriptionCreateResponse> response = client.audio().transcriptions().withRawResponse()
        .create(TranscriptionCreateParams.builder().model("whisper-1").file(wav).responseFormat(AudioResponseFormat.JSON)
            .build());
    assertEquals("Hello there.", response.parse().asTranscription().text());
    assertEquals("0.006200000", header(response, "X-Tollgate-Cost-USD"), "62 seconds at $0.006 a minute");
    UpstreamSimulator.ReceivedRequest upstream = simulator.lastRequest().orElseThrow();
    assertTrue(upstream.headers().get("content-type").startsWith("multipart/form-data; boundary="), upstream.headers().toString());
    assertTrue(upstream.body().contains("RIFF fake wave file for the test"), "the file went up unchanged");
    assertTrue(upstream.body().contains("whisper-1"));
    assertEquals("transcriptions", logged(response).get("api").asText());
  }

  @Test
  void filesAreListedAndDeletedAtNoCostAndOnRecord() {
    OpenAIClient client = openAi("files", "{\"object\": \"list\", \"data\": [{\"id\": \"file-1\", \"object\": \"file\","
        + " \"bytes\": 120, \"created_at\": 1733000000, \"filename\": \"in.jsonl\", \"purpose\": \"batch\"}],"
        + " \"has_more\": false}");
    HttpResponseFor<FileListPage> listed = client.files().withRawResponse().list();
    assertEquals("file-1", listed.parse().data().get(0).id());
    assertEquals("GET", simulator.lastRequest().orElseThrow().method());
    assertEquals("0.000000000", header(listed, "X-Tollgate-Cost-USD"));
    JsonNode record = logged(listed);
    assertEquals("files", record.get("api").asText());
    assertEquals(0, record.get("flags").size(), "free, not unpriced: " + record);

    OpenAIClient deleting = openAi("deleted", "{\"id\": \"file-1\", \"object\": \"file\", \"deleted\": true}");
    assertTrue(deleting.files().delete("file-1").deleted());
    assertEquals("DELETE", simulator.lastRequest().orElseThrow().method());
    assertEquals("/v1/files/file-1", simulator.lastRequest().orElseThrow().path());
  }

  @Test
  void aBatchsOutputIsBilledOnceAtHalfTheRate() {
    String line = "{\"id\": \"batch_req_%d\", \"custom_id\": \"q%d\", \"response\": {\"status_code\": 200, \"request_id\":"
        + " \"r\", \"body\": {\"id\": \"chatcmpl-%d\", \"object\": \"chat.completion\", \"model\": \"gpt-4o-mini\","
        + " \"choices\": [], \"usage\": {\"prompt_tokens\": 1000, \"completion_tokens\": 500, \"total_tokens\": 1500}}},"
        + " \"error\": null}\n";
    simulator.addReplay("output.jsonl", (String.format(line, 1, 1, 1) + String.format(line, 2, 2, 2))
        .getBytes(StandardCharsets.UTF_8), 200);
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key)
        .putHeader("X-Sim-Replay", "output.jsonl").maxRetries(0).build();
    HttpResponse first = client.files().content("file-out");
    assertTrue(new String(bytes(first), StandardCharsets.UTF_8).contains("batch_req_2"));
    // 2,000 input tokens at $0.075 and 1,000 output at $0.30 per million: half of gpt-4o-mini's prices.
    assertEquals("0.000450000", header(first, "X-Tollgate-Cost-USD"));
    assertEquals("0.000450000", logged(first).get("cost_usd").asText());
    assertEquals(2000, logged(first).get("tokens").get("input").asLong());

    HttpResponse again = client.files().content("file-out");
    bytes(again);
    assertEquals("0.000000000", header(again, "X-Tollgate-Cost-USD"), "read again: not billed again");
    assertEquals(header(first, "X-Request-ID"), header(again, "X-Tollgate-Billed-By"));
    assertEquals("0.000000000", logged(again).get("cost_usd").asText());
  }

  @Test
  void aBackgroundResponseIsBilledWhenFirstReadFinished() {
    OpenAIClient client = openAi("background", "{\"id\": \"resp_bg1\", \"object\": \"response\", \"created_at\": 1733000000,"
        + " \"model\": \"gpt-4o-mini\", \"background\": true, \"status\": \"completed\", \"output\": [],"
        + " \"parallel_tool_calls\": true, \"tool_choice\": \"auto\", \"tools\": [],"
        + " \"usage\": {\"input_tokens\": 100000, \"input_tokens_details\": {\"cached_tokens\": 0},"
        + " \"output_tokens\": 10000, \"output_tokens_details\": {\"reasoning_tokens\": 0}, \"total_tokens\": 110000}}");
    HttpResponseFor<Response> first = client.responses().withRawResponse().retrieve("resp_bg1");
    assertEquals("resp_bg1", first.parse().id());
    assertEquals("0.021000000", header(first, "X-Tollgate-Cost-USD"), "100k input at $0.15, 10k output at $0.60");
    HttpResponseFor<Response> again = client.responses().withRawResponse().retrieve("resp_bg1");
    again.parse();
    assertEquals("0.000000000", header(again, "X-Tollgate-Cost-USD"));
    assertEquals(header(first, "X-Request-ID"), header(again, "X-Tollgate-Billed-By"));
  }

  @Test
  void anAnthropicBatchsResultsAreBilledAtTheBatchRate() {
    String results = "{\"custom_id\": \"a\", \"result\": {\"type\": \"succeeded\", \"message\": {\"id\": \"msg_1\","
        + " \"type\": \"message\", \"role\": \"assistant\", \"model\": \"claude-3-5-haiku-20241022\", \"content\": [],"
        + " \"stop_reason\": \"end_turn\", \"usage\": {\"input_tokens\": 10000, \"output_tokens\": 1000}}}}\n"
        + "{\"custom_id\": \"b\", \"result\": {\"type\": \"errored\", \"error\": {\"type\": \"error\", \"error\":"
        + " {\"type\": \"invalid_request_error\", \"message\": \"bad\"}}}}\n";
    simulator.addReplay("results.jsonl", results.getBytes(StandardCharsets.UTF_8), 200);
    var response = ProxyClient.send("GET", node.baseUrl() + "/v1/messages/batches/msgbatch_01/results",
        Map.of("x-api-key", key, "anthropic-version", "2023-06-01", "X-Sim-Replay", "results.jsonl"));
    assertEquals(200, response.statusCode(), response.body());
    // Claude 3.5 Haiku: $0.80 in, $4 out per million; half of 10,000 × 0.80 and 1,000 × 4.
    assertEquals("0.006000000", response.headers().firstValue("X-Tollgate-Cost-USD").orElseThrow());
    assertEquals("/v1/messages/batches/msgbatch_01/results", simulator.lastRequest().orElseThrow().path());
  }

  @Test
  void geminiCachedContentsAndAnthropicBatchesAreManagedAtNoCost() {
    simulator.addReplay("cached", "{\"name\": \"cachedContents/abc\", \"model\": \"models/gemini-2.5-flash\"}"
        .getBytes(StandardCharsets.UTF_8), 200);
    var created = ProxyClient.post(node.baseUrl() + "/v1beta/cachedContents", null,
        "{\"model\": \"models/gemini-2.5-flash\", \"contents\": [], \"ttl\": \"300s\"}",
        Map.of("x-goog-api-key", key, "X-Sim-Replay", "cached"));
    assertEquals(200, created.statusCode(), created.body());
    assertEquals("0.000000000", created.headers().firstValue("X-Tollgate-Cost-USD").orElseThrow());
    var deleted = ProxyClient.send("DELETE", node.baseUrl() + "/gemini/v1beta/cachedContents/abc",
        Map.of("x-goog-api-key", key, "X-Sim-Replay", "cached"));
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertEquals("DELETE", simulator.lastRequest().orElseThrow().method());
    var listed = ProxyClient.send("GET", node.baseUrl() + "/anthropic/v1/messages/batches",
        Map.of("x-api-key", key, "X-Sim-Replay", "cached"));
    assertEquals(200, listed.statusCode(), listed.body());
    assertEquals("batches", node.admin().logged("apis", listed.headers().firstValue("X-Request-ID").orElseThrow())
        .get("api").asText());
  }

  @Test
  void imagesAreHeldAtTheirPriceAndFreeCallsAtNothing() {
    node.admin().createOrg("small-budget", "{\"monthly_budget_usd\": \"0.10\"}");
    assertEquals(200, node.admin().call("PUT", "/admin/orgs/small-budget/pricing", "{\"unpriced_models\": \"refuse\"}")
        .status());
    String small = node.admin().issueKey("small-budget");
    simulator.addReplay("two-images", "{\"created\": 1, \"data\": [{\"url\": \"a\"}, {\"url\": \"b\"}]}"
        .getBytes(StandardCharsets.UTF_8), 200);
    long before = simulator.requests();
    var refused = ProxyClient.post(node.baseUrl() + "/v1/images/generations", small, "{\"model\": \"dall-e-3\", \"prompt\":"
        + " \"a fox\", \"n\": 2, \"size\": \"1024x1792\", \"quality\": \"hd\"}", Map.of("X-Sim-Replay", "two-images"));
    assertEquals(429, refused.statusCode(), "$0.24 of images does not fit a $0.10 budget: " + refused.body());
    var one = ProxyClient.post(node.baseUrl() + "/v1/images/generations", small, "{\"model\": \"dall-e-3\", \"prompt\":"
        + " \"a fox\"}", Map.of("X-Sim-Replay", "two-images"));
    assertEquals(200, one.statusCode(), "one standard image at $0.04 fits (priced by the piece: not unpriced): " + one.body());
    var files = ProxyClient.send("GET", node.baseUrl() + "/v1/files", Map.of("Authorization", "Bearer " + small,
        "X-Sim-Replay", "two-images"));
    assertEquals(200, files.statusCode(), "free calls are neither held nor unpriced: " + files.body());
    assertEquals(before + 2, simulator.requests());
  }

  @Test
  void aKeyLimitedToSomeModelsMayNotUseApisThatNameNone() {
    node.admin().createOrg("limited-apis", null);
    var issued = node.admin().call("POST", "/admin/orgs/limited-apis/keys",
        "{\"name\": \"chat only\", \"allowed_models\": [\"gpt-4o-mini\"]}");
    String limited = issued.json().get("key").asText();
    var files = ProxyClient.send("GET", node.baseUrl() + "/v1/files", Map.of("Authorization", "Bearer " + limited));
    assertEquals(403, files.statusCode(), files.body());
    assertTrue(files.body().contains("\"error\""), "in OpenAI's format: " + files.body());
  }

  @Test
  void aMethodAnApiDoesNotTakeIsNotFoundInTheProvidersFormat() {
    var get = ProxyClient.send("GET", node.baseUrl() + "/v1/chat/completions", Map.of("Authorization", "Bearer " + key));
    assertEquals(404, get.statusCode());
    assertTrue(get.body().contains("Unknown request URL: GET /v1/chat/completions"), get.body());
  }
}
