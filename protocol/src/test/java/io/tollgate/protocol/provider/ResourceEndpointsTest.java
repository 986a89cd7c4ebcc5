package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.pricing.Charge.TokenClass;
import io.tollgate.protocol.pricing.Units;
import io.tollgate.protocol.provider.Endpoint.Billing;
import io.tollgate.protocol.provider.Endpoint.Body;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The APIs beyond generation: which method and path is which API and how it is billed, what is read from its
 * request (JSON or a multipart form), and the usage read from its answer.
 */
class ResourceEndpointsTest {
  private static Endpoint endpoint(ProviderId provider, String method, String path) {
    return Providers.get(provider).endpoint(method, path)
        .orElseThrow(() -> new AssertionError(method + " " + path + " should be an API of " + provider));
  }

  private static boolean none(ProviderId provider, String method, String path) {
    return Providers.get(provider).endpoint(method, path).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachPathAndMethodIsOneApiBilledItsWay() {
    assertEquals(Billing.PER_CALL, endpoint(ProviderId.OPENAI, "POST", "/images/generations").billing());
    assertEquals(Body.FORM, endpoint(ProviderId.OPENAI, "POST", "/images/edits").body());
    assertEquals("transcriptions", endpoint(ProviderId.OPENAI, "POST", "/audio/transcriptions").api());
    assertEquals("speech", endpoint(ProviderId.OPENAI, "POST", "/audio/speech").api());
    assertEquals("moderations", endpoint(ProviderId.OPENAI, "POST", "/moderations").api());
    assertEquals(Body.FORM, endpoint(ProviderId.OPENAI, "POST", "/files").body());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "GET", "/files").billing());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "DELETE", "/files/file-abc").billing());
    Endpoint content = endpoint(ProviderId.OPENAI, "GET", "/files/file-abc/content");
    assertEquals(Billing.ONCE_AT_BATCH_RATE, content.billing());
    assertEquals("file-abc", content.resource());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "POST", "/batches").billing());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "POST", "/batches/batch_1/cancel").billing());
    Endpoint stored = endpoint(ProviderId.OPENAI, "GET", "/responses/resp_1");
    assertEquals(Billing.ONCE, stored.billing());
    assertEquals("resp_1", stored.resource());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "POST", "/responses/resp_1/cancel").billing());
    assertEquals(Billing.FREE, endpoint(ProviderId.OPENAI, "DELETE", "/responses/resp_1").billing());
    assertEquals(Billing.PER_CALL, endpoint(ProviderId.OPENAI, "POST", "/responses").billing());
    Endpoint results = endpoint(ProviderId.ANTHROPIC, "GET", "/v1/messages/batches/msgbatch_1/results");
    assertEquals(Billing.ONCE_AT_BATCH_RATE, results.billing());
    assertEquals("msgbatch_1", results.resource());
    assertEquals(Billing.FREE, endpoint(ProviderId.ANTHROPIC, "POST", "/v1/messages/batches").billing());
    assertEquals("messages", endpoint(ProviderId.ANTHROPIC, "POST", "/v1/messages").api());
    assertEquals("cached_contents", endpoint(ProviderId.GEMINI, "PATCH", "/v1beta/cachedContents/abc").api());
    assertEquals("images", endpoint(ProviderId.AZURE, "POST", "/openai/deployments/art/images/generations").api());
    assertEquals("art", endpoint(ProviderId.AZURE, "POST", "/openai/deployments/art/images/generations").pathModel());
    assertEquals("files", endpoint(ProviderId.AZURE, "GET", "/openai/files").api());
  }

  @Test
  void whatAProviderDoesNotServeAtAMethodIsNoApi() {
    assertTrue(none(ProviderId.OPENAI, "GET", "/chat/completions"), "chat is POST only");
    assertTrue(none(ProviderId.OPENAI, "DELETE", "/batches/batch_1"), "batches are cancelled, not deleted");
    assertTrue(none(ProviderId.OPENAI, "POST", "/responses/resp_1"));
    assertTrue(none(ProviderId.OPENAI, "GET", "/files/a/b/content"));
    assertTrue(none(ProviderId.OPENAI, "GET", "/files/..%2F/content"));
    assertTrue(none(ProviderId.ANTHROPIC, "GET", "/v1/messages/batches/b/cancel"));
    assertTrue(none(ProviderId.GEMINI, "POST", "/v1beta/cachedContents/abc"));
    assertTrue(none(ProviderId.COHERE, "GET", "/v2/chat"));
  }

  @Test
  void anImageRequestNamesItsImagesAndThePriceTheyAreUnder() {
    RequestInspector images = endpoint(ProviderId.OPENAI, "POST", "/images/generations").inspector();
    RequestFacts hd = images.inspect(bytes("{\"model\": \"dall-e-3\", \"prompt\": \"a fox\", \"n\": 2, \"size\":"
        + " \"1024x1792\", \"quality\": \"hd\"}"));
    assertEquals(new Units(TokenClass.IMAGE, 2, "hd/1024-x-1792/dall-e-3"), hd.units());
    RequestFacts plain = images.inspect(bytes("{\"prompt\": \"a fox\"}"));
    assertEquals("dall-e-2", plain.model(), "OpenAI's default model");
    assertEquals(new Units(TokenClass.IMAGE, 1, "1024-x-1024/dall-e-2"), plain.units());
    assertEquals("high/1536-x-1024/gpt-image-1",
        images.inspect(bytes("{\"model\": \"gpt-image-1\", \"prompt\": \"a fox\"}")).units().pricedAs(),
        "auto is held at the dearest");
    assertThrows(InvalidRequestException.class, () -> images.inspect(bytes("{\"prompt\": \"x\", \"n\": 0}")));
  }

  @Test
  void aFormIsReadForItsFieldsAndItsFilesSkipped() {
    String form = "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ndall-e-2\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"fox.png\"\r\nContent-Type: image/png\r\n\r\n"
        + "\u0089PNG model=gpt-4o\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n3\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n512x512\r\n--XyZ--\r\n";
    RequestFacts facts = endpoint(ProviderId.OPENAI, "POST", "/images/edits").inspector()
        .inspect(bytes(form), "multipart/form-data; boundary=XyZ", null, false);
    assertEquals("dall-e-2", facts.model());
    assertEquals(new Units(TokenClass.IMAGE, 3, "512-x-512/dall-e-2"), facts.units());
    RequestInspector transcriptions = endpoint(ProviderId.OPENAI, "POST", "/audio/transcriptions").inspector();
    assertThrows(InvalidRequestException.class, () -> transcriptions.inspect(bytes(form), "application/json", null, false));
    assertThrows(InvalidRequestException.class, () -> transcriptions.inspect(
        bytes("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1"), "multipart/form-data; boundary=XyZ",
        null, false), "a part without its end");
  }

  @Test
  void speechIsBilledByTheCharactersAsked() {
    RequestFacts facts = endpoint(ProviderId.OPENAI, "POST", "/audio/speech").inspector()
        .inspect(bytes("{\"model\": \"tts-1\", \"voice\": \"alloy\", \"input\": \"Grüße, 世界\"}"));
    assertEquals(new Units(TokenClass.CHARACTER, 9, null), facts.units());
  }

  @Test
  void imagesReportTokensOrTheImagesMade() {
    UsageExtractor images = endpoint(ProviderId.OPENAI, "POST", "/images/generations").usage();
    ReportedUsage dalle = images.fromBody(bytes("{\"created\": 1, \"data\": [{\"url\": \"a\"}, {\"url\": \"b\"}]}"))
        .orElseThrow();
    assertEquals(new Units(TokenClass.IMAGE, 2, null), dalle.units());
    assertEquals(TokenUsage.ZERO, dalle.tokens());
    ReportedUsage gptImage = images.fromBody(bytes("{\"created\": 1, \"data\": [{\"b64_json\": \"x\"}], \"usage\":"
        + " {\"total_tokens\": 4210, \"input_tokens\": 50, \"output_tokens\": 4160, \"input_tokens_details\":"
        + " {\"text_tokens\": 40, \"image_tokens\": 10}}}")).orElseThrow();
    assertNull(gptImage.units());
    assertEquals(50, gptImage.tokens().input());
    assertEquals(new TokenUsage.Media(0, 0, 10, 4160), gptImage.tokens().media());
  }

  @Test
  void transcriptionsReportSecondsRoundedUpOrTokens() {
    UsageExtractor usage = endpoint(ProviderId.OPENAI, "POST", "/audio/transcriptions").usage();
    assertEquals(new Units(TokenClass.AUDIO_SECOND, 13, null), usage.fromBody(bytes(
        "{\"text\": \"Hello.\", \"usage\": {\"type\": \"duration\", \"seconds\": 12.2}}")).orElseThrow().units());
    assertEquals(new Units(TokenClass.AUDIO_SECOND, 8, null), usage.fromBody(bytes(
        "{\"task\": \"transcribe\", \"duration\": 7.01, \"text\": \"Hi.\"}")).orElseThrow().units());
    ReportedUsage tokens = usage.fromBody(bytes("{\"text\": \"Hi.\", \"usage\": {\"type\": \"tokens\", \"input_tokens\": 14,"
        + " \"input_token_details\": {\"text_tokens\": 0, \"audio_tokens\": 14}, \"output_tokens\": 45, \"total_tokens\": 59}}"))
        .orElseThrow();
    assertEquals(14, tokens.tokens().media().audioInput());
    assertEquals(45, tokens.tokens().output());
    assertTrue(usage.fromBody(bytes("Hello there.")).isEmpty(), "a text answer reports nothing");
    assertEquals("Hello there.", usage.completionText(bytes("Hello there.")));
  }

  @Test
  void aBatchOutputFileReportsEachModelsUsageAndAnyOtherFileNone() {
    UsageExtractor content = endpoint(ProviderId.OPENAI, "GET", "/files/file-1/content").usage();
    String output = """
        {"id": "batch_req_1", "custom_id": "a", "response": {"status_code": 200, "body": {"object": "chat.completion", "model": "gpt-4o-mini-2024-07-18", "choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}}}, "error": null}
        {"id": "batch_req_2", "custom_id": "b", "response": {"status_code": 200, "body": {"object": "chat.completion", "model": "gpt-4o-mini-2024-07-18", "choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 7, "total_tokens": 37, "prompt_tokens_details": {"cached_tokens": 10}}}}, "error": null}
        {"id": "batch_req_3", "custom_id": "c", "response": null, "error": {"code": "batch_expired", "message": "expired"}}
        {"id": "batch_req_4", "custom_id": "d", "response": {"status_code": 200, "body": {"object": "list", "model": "text-embedding-3-small", "data": [], "usage": {"prompt_tokens": 8, "total_tokens": 8}}}, "error": null}
        """;
    List<ReportedUsage> models = content.perModel(bytes(output));
    assertEquals(2, models.size());
    assertEquals("gpt-4o-mini-2024-07-18", models.get(0).model());
    assertEquals(new TokenUsage(50, 12, 10, 0, null), models.get(0).tokens());
    assertEquals(TokenUsage.of(8, 0), models.get(1).tokens());
    String input = "{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {\"model\": \"gpt-4o\"}}\n";
    assertTrue(content.perModel(bytes(input)).isEmpty(), "a batch's input is not billed");
  }

  @Test
  void anAnthropicBatchBillsItsSucceededMessages() {
    UsageExtractor results = endpoint(ProviderId.ANTHROPIC, "GET", "/v1/messages/batches/msgbatch_1/results").usage();
    String lines = """
        {"custom_id": "a", "result": {"type": "succeeded", "message": {"id": "msg_1", "type": "message", "model": "claude-sonnet-4-20250514", "content": [], "usage": {"input_tokens": 100, "cache_read_input_tokens": 50, "output_tokens": 20}}}}
        {"custom_id": "b", "result": {"type": "errored", "error": {"type": "invalid_request_error"}}}
        {"custom_id": "c", "result": {"type": "succeeded", "message": {"id": "msg_2", "type": "message", "model": "claude-sonnet-4-20250514", "content": [], "usage": {"input_tokens": 10, "output_tokens": 2}}}}
        """;
    List<ReportedUsage> models = results.perModel(bytes(lines));
    assertEquals(1, models.size());
    assertEquals(new TokenUsage(160, 22, 50, 0, null, 0), models.get(0).tokens());
  }

  @Test
  void aBackgroundResponseIsBilledWhenReadFinishedAndNotWhenQueued() {
    UsageExtractor created = endpoint(ProviderId.OPENAI, "POST", "/responses").usage();
    ReportedUsage queued = created.fromBody(bytes("{\"id\": \"resp_1\", \"object\": \"response\", \"model\": \"o3\","
        + " \"background\": true, \"status\": \"queued\", \"usage\": null}")).orElseThrow();
    assertEquals(TokenUsage.ZERO, queued.tokens(), "not estimated: billed when read");
    UsageExtractor stored = endpoint(ProviderId.OPENAI, "GET", "/responses/resp_1").usage();
    String done = "{\"id\": \"resp_1\", \"object\": \"response\", \"model\": \"o3\", \"background\": %s, \"status\":"
        + " \"completed\", \"usage\": {\"input_tokens\": 30, \"output_tokens\": 90, \"output_tokens_details\":"
        + " {\"reasoning_tokens\": 64}}}";
    assertEquals(120, stored.fromBody(bytes(String.format(done, "true"))).orElseThrow().tokens().total());
    assertEquals(TokenUsage.ZERO, stored.fromBody(bytes(String.format(done, "false"))).orElseThrow().tokens(),
        "a foreground response was billed when it was made");
  }
}
