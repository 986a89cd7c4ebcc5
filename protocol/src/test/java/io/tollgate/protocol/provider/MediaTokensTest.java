package io.tollgate.protocol.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.protocol.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Audio and image tokens, where a provider breaks them out, are read as subsets of input and output (the
 * shared samples are all text; these bodies follow the providers' documented usage shapes).
 */
class MediaTokensTest {

  private static TokenUsage tokens(ProviderId provider, String path, String body) {
    return Providers.get(provider).endpoint(path).orElseThrow().usage()
        .fromBody(body.getBytes(StandardCharsets.UTF_8)).orElseThrow().tokens();
  }

  @Test
  void openAiAudioInsidePromptAndCompletionTokens() {
    TokenUsage t = tokens(ProviderId.OPENAI, "/chat/completions", """
        {"model":"gpt-audio","usage":{"prompt_tokens":35,"completion_tokens":120,"total_tokens":155,
         "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":20,"image_tokens":0},
         "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":100}}}""");
    assertEquals(35, t.input());
    assertEquals(120, t.output());
    assertEquals(new TokenUsage.Media(20, 100, 0, 0), t.media());
  }

  @Test
  void geminiModalitiesOfPromptAndCandidates() {
    TokenUsage t = tokens(ProviderId.GEMINI, "/v1beta/models/gemini-2.5-flash-image:generateContent", """
        {"candidates":[],"modelVersion":"gemini-2.5-flash-image","usageMetadata":{"promptTokenCount":1326,
         "candidatesTokenCount":1290,"totalTokenCount":2616,
         "promptTokensDetails":[{"modality":"TEXT","tokenCount":10},{"modality":"IMAGE","tokenCount":258},
                                {"modality":"AUDIO","tokenCount":1058}],
         "candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]}}""");
    assertEquals(1326, t.input());
    assertEquals(new TokenUsage.Media(1058, 0, 258, 1290), t.media());
  }

  @Test
  void textOnlyUsageHasNoMedia() {
    TokenUsage t = tokens(ProviderId.GEMINI, "/v1beta/models/gemini-2.5-flash:generateContent", """
        {"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":2,
         "promptTokensDetails":[{"modality":"TEXT","tokenCount":8}]}}""");
    assertEquals(TokenUsage.Media.NONE, t.media());
  }
}
