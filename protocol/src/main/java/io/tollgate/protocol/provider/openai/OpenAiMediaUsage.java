package io.tollgate.protocol.provider.openai;

import static io.tollgate.protocol.usage.UsageJson.count;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.pricing.Charge.TokenClass;
import io.tollgate.protocol.pricing.Units;
import io.tollgate.protocol.provider.WholeBodyUsage;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Usage of OpenAI's images and transcriptions: tokens where the answer reports them, else the pieces billed. */
public final class OpenAiMediaUsage {
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(TokenUsage.MAX_COUNT);

  private OpenAiMediaUsage() {}

  /**
   * Images: GPT Image models report tokens (text and image input; the output is image tokens); DALL·E reports
   * none and is billed per image made, counted in {@code data}.
   */
  public static WholeBodyUsage images() {
    return new WholeBodyUsage() {
      @Override
      public Optional<ReportedUsage> fromBody(byte[] body) {
        JsonNode answer = Json.treeOrNull(body);
        if (answer == null) {
          return Optional.empty();
        }
        JsonNode usage = answer.get("usage");
        if (usage != null && usage.isObject()) {
          long output = count(usage, "output_tokens");
          long imageOut = UsageJson.has(usage, "output_tokens_details", "image_tokens")
              ? count(usage, "output_tokens_details", "image_tokens") : output;
          TokenUsage tokens = TokenUsage.of(count(usage, "input_tokens"), output).withMedia(new TokenUsage.Media(0, 0,
              count(usage, "input_tokens_details", "image_tokens"), Math.min(imageOut, output)));
          return Optional.of(new ReportedUsage(UsageJson.text(answer, "model"), tokens));
        }
        if (!answer.path("data").isArray()) {
          return Optional.empty();
        }
        return Optional.of(new ReportedUsage(null, TokenUsage.ZERO, null,
            new Units(TokenClass.IMAGE, answer.path("data").size(), null)));
      }
    };
  }

  /**
   * Transcriptions and translations: GPT models report tokens (audio input within input), Whisper the seconds of
   * audio ({@code usage.seconds}, or {@code duration} in {@code verbose_json}), billed rounded up to the second. A
   * text, SRT or VTT answer reports nothing: its text is counted.
   */
  public static WholeBodyUsage transcriptions() {
    return new WholeBodyUsage() {
      @Override
      public Optional<ReportedUsage> fromBody(byte[] body) {
        JsonNode answer = Json.treeOrNull(body);
        if (answer == null || !answer.isObject()) {
          return Optional.empty();
        }
        JsonNode usage = answer.path("usage");
        if ("tokens".equals(usage.path("type").asText())) {
          TokenUsage tokens = TokenUsage.of(count(usage, "input_tokens"), count(usage, "output_tokens"))
              .withMedia(new TokenUsage.Media(count(usage, "input_token_details", "audio_tokens"), 0, 0, 0));
          return Optional.of(new ReportedUsage(null, tokens));
        }
        JsonNode seconds = usage.path("seconds").isNumber() ? usage.get("seconds") : answer.get("duration");
        if (seconds == null || !seconds.isNumber()) {
          return Optional.empty();
        }
        BigDecimal s = seconds.decimalValue().max(BigDecimal.ZERO).min(MAX_SECONDS).setScale(0, RoundingMode.CEILING);
        return Optional.of(new ReportedUsage(null, TokenUsage.ZERO, null,
            new Units(TokenClass.AUDIO_SECOND, s.longValue(), null)));
      }

      @Override
      public String completionText(byte[] body) {
        JsonNode answer = Json.treeOrNull(body);
        return answer == null ? new String(body, StandardCharsets.UTF_8) : answer.path("text").asText("");
      }
    };
  }

  /**
   * A stored response (GET /responses/{id}): billed when it ran in the background and has finished (a response
   * made in the foreground was billed when it was made); nothing otherwise.
   */
  public static WholeBodyUsage storedResponse() {
    return new WholeBodyUsage() {
      @Override
      public Optional<ReportedUsage> fromBody(byte[] body) {
        JsonNode response = Json.treeOrNull(body);
        if (response == null) {
          return Optional.empty();
        }
        if (response.path("background").asBoolean(false) && OpenAiResponsesUsage.finished(response)) {
          Optional<ReportedUsage> usage = OpenAiResponsesUsage.reported(response);
          if (usage.isPresent()) {
            return usage;
          }
        }
        return Optional.of(new ReportedUsage(UsageJson.text(response, "model"), TokenUsage.ZERO));
      }
    };
  }
}
