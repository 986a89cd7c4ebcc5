package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiChatInspectorTest {
  private final RequestInspector inspector = Providers.get(ProviderId.OPENAI).endpoint("/chat/completions").orElseThrow().inspector();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheFieldsTheGatewayNeeds() {
    RequestFacts facts = inspector.inspect(utf8("""
        {"messages":[{"role":"user","content":"hi","model":"not-this-one"}],"model":"gpt-4o-mini",
         "stream":true,"stream_options":{"include_usage":true},"max_tokens":50,"user":"u-7","tools":[{"a":{"b":[1,2]}}]}
        """));
    assertEquals("gpt-4o-mini", facts.model());
    assertTrue(facts.stream());
    assertTrue(facts.clientWantsStreamUsage());
    assertEquals(50L, facts.maxOutputTokens());
    assertEquals("u-7", facts.user());
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokens() {
    RequestFacts facts = inspector.inspect(utf8("{\"model\":\"o3\",\"max_tokens\":10,\"max_completion_tokens\":99}"));
    assertEquals(99L, facts.maxOutputTokens());
    assertFalse(facts.stream());
    assertNull(inspector.inspect(utf8("{\"model\":\"o3\"}")).maxOutputTokens());
  }

  @Test
  void refusesWhatIsNotARequest() {
    for (String bad : new String[] {"", "not json", "[1,2]", "{\"model\":\"x\"", "{\"model\":\"x\"} trailing",
        "{\"messages\":[]}", "{\"model\":\"\"}", "{\"model\":42}"}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> inspector.inspect(utf8(bad)), bad);
      assertFalse(e.getMessage().isBlank());
    }
  }

  @Test
  void asksForStreamUsageWithoutTouchingAnythingElse() throws Exception {
    String body = "  {\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"{x}\"}]}";
    RequestFacts facts = inspector.inspect(utf8(body));
    byte[] rewritten = inspector.askForStreamUsage(utf8(body), facts);
    JsonNode tree = Json.MAPPER.readTree(rewritten);
    assertTrue(tree.at("/stream_options/include_usage").asBoolean());
    JsonNode original = Json.MAPPER.readTree(body);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("stream_options");
    assertEquals(original, tree);
  }

  @Test
  void setsIncludeUsageInsideExistingStreamOptions() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}";
    byte[] rewritten = inspector.askForStreamUsage(utf8(body), inspector.inspect(utf8(body)));
    JsonNode tree = Json.MAPPER.readTree(rewritten);
    assertTrue(tree.at("/stream_options/include_usage").asBoolean());
    assertFalse(tree.at("/stream_options/include_obfuscation").asBoolean(true));
    assertTrue(inspector.inspect(rewritten).clientWantsStreamUsage());
  }

  @Test
  void leavesBodiesAloneWhenNothingIsMissing() {
    byte[] plain = utf8("{\"model\":\"gpt-4o\"}");
    assertSame(plain, inspector.askForStreamUsage(plain, inspector.inspect(plain)));
    byte[] asked = utf8("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertSame(asked, inspector.askForStreamUsage(asked, inspector.inspect(asked)));
  }

  @Test
  void errorsAreInOpenAiFormat() throws Exception {
    ErrorFormat format = Providers.get(ProviderId.OPENAI).errors();
    JsonNode limited = Json.MAPPER.readTree(format.render(new GatewayError(ErrorKind.RATE_LIMITED, "slow down", "tokens")));
    assertEquals("slow down", limited.at("/error/message").asText());
    assertEquals("tokens", limited.at("/error/type").asText());
    assertEquals("rate_limit_exceeded", limited.at("/error/code").asText());
    assertTrue(limited.at("/error/param").isNull());
    JsonNode key = Json.MAPPER.readTree(format.render(GatewayError.of(ErrorKind.INVALID_KEY, "bad key")));
    assertEquals("invalid_api_key", key.at("/error/code").asText());
    assertEquals(401, ErrorKind.INVALID_KEY.status());
  }
}
