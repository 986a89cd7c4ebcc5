package io.tollgate.protocol.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.pricing.Charge.TokenClass;
import io.tollgate.protocol.pricing.Units;
import io.tollgate.protocol.provider.FormFields;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.JsonRequestInspector;
import io.tollgate.protocol.provider.RequestFacts;
import io.tollgate.protocol.provider.RequestInspector;
import java.util.Locale;

/**
 * Reads OpenAI's requests for images, speech, transcriptions and moderations, as JSON or as a multipart form
 * (an image to edit, audio to transcribe): the model, and what is billed by the piece: the images asked for (how
 * many, and the size and quality their price is under), the characters to speak. Their answers are read whole.
 */
public final class OpenAiMediaInspector implements RequestInspector {
  /** Which API. */
  public enum Kind { IMAGES, SPEECH, TRANSCRIPTION, MODERATION }

  /** OpenAI's most images per request. */
  private static final int MAX_IMAGES = 10;

  private final Kind kind;
  private final boolean form;

  public OpenAiMediaInspector(Kind kind, boolean form) {
    this.kind = kind;
    this.form = form;
  }

  @Override
  public RequestFacts inspect(byte[] body, String pathModel, boolean pathStream) {
    return inspect(body, null, pathModel, pathStream);
  }

  @Override
  public RequestFacts inspect(byte[] body, String contentType, String pathModel, boolean pathStream) {
    JsonNode fields = form ? FormFields.read(body, contentType) : JsonRequestInspector.object(body);
    String model = fields.path("model").isTextual() && !fields.path("model").asText().isBlank()
        ? fields.path("model").asText() : pathModel != null ? pathModel : defaultModel();
    if (model == null) {
      throw new InvalidRequestException("You must provide a model.");
    }
    Units units = switch (kind) {
      case IMAGES -> new Units(TokenClass.IMAGE, images(fields.get("n")), imageName(model, text(fields, "size"),
          text(fields, "quality")));
      case SPEECH -> new Units(TokenClass.CHARACTER, characters(text(fields, "input")), null);
      default -> null;
    };
    // What is billed by the piece is held by the piece: no output tokens on top.
    return new RequestFacts(model, false, false, false, units == null ? null : 0L, text(fields, "user"), units);
  }

  @Override
  public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
    return body;
  }

  private String defaultModel() {
    return switch (kind) {
      case IMAGES -> "dall-e-2";
      case MODERATION -> "omni-moderation-latest";
      default -> null;
    };
  }

  /** How many images: {@code n} as a JSON number or a form's text, 1 when absent; over the most, the most. */
  private static long images(JsonNode n) {
    if (n == null || n.isNull()) {
      return 1;
    }
    try {
      long asked = n.isNumber() ? n.asLong() : Long.parseLong(n.asText().trim());
      if (asked < 1) {
        throw new InvalidRequestException("The number of images (n) must be at least 1.");
      }
      return Math.min(asked, MAX_IMAGES);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("The number of images (n) must be an integer.");
    }
  }

  /**
   * The catalog name of an image's price: {@code [quality/]W-x-H/model}, as LiteLLM names them. DALL·E 2 has no
   * quality, DALL·E 3's is {@code standard} unless asked {@code hd}; another model's {@code auto} (or none) is
   * held at its dearest ({@code high}, 1536×1024): its answer reports the tokens it is billed by.
   */
  static String imageName(String model, String size, String quality) {
    String m = model.toLowerCase(Locale.ROOT);
    boolean dalle = m.startsWith("dall-e");
    String s = size == null || size.equals("auto") || !size.matches("\\d{2,5}x\\d{2,5}")
        ? (dalle ? "1024x1024" : "1536x1024") : size;
    String q = m.startsWith("dall-e-2") ? null
        : dalle ? ("hd".equals(quality) ? "hd" : "standard")
        : quality == null || quality.equals("auto") ? "high" : quality;
    return (q == null ? "" : q + "/") + s.replace("x", "-x-") + "/" + m;
  }

  private static long characters(String text) {
    return text == null ? 0 : text.codePointCount(0, text.length());
  }

  private static String text(JsonNode fields, String name) {
    JsonNode v = fields.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
