package io.tollgate.protocol.provider;

import io.tollgate.protocol.provider.Endpoint.Billing;
import io.tollgate.protocol.provider.Endpoint.Body;
import io.tollgate.protocol.provider.anthropic.AnthropicBatchResultsUsage;
import io.tollgate.protocol.provider.openai.OpenAiBatchOutputUsage;
import io.tollgate.protocol.provider.openai.OpenAiMediaInspector;
import io.tollgate.protocol.provider.openai.OpenAiMediaInspector.Kind;
import io.tollgate.protocol.provider.openai.OpenAiMediaUsage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The APIs beyond generation that the providers' SDKs call, by method and path: OpenAI's moderations, images,
 * audio, files, batches and stored responses; Anthropic's message batches; Gemini's cached contents. Each billed
 * the way its provider bills it: by the token, by the piece, once when its results are read, or not at all.
 */
final class ResourceEndpoints {
  /** A resource id in a path: a file, a batch, a response, a cached content. */
  private static final String ID = "([A-Za-z0-9][A-Za-z0-9._:-]{0,255})";
  private static final Pattern OPENAI = Pattern.compile(
      "^/(files|batches|responses)(?:/" + ID + "(?:/(content|cancel|input_items))?)?$");
  private static final Pattern ANTHROPIC = Pattern.compile("^/v1/messages/batches(?:/" + ID + "(?:/(results|cancel))?)?$");
  private static final Pattern GEMINI = Pattern.compile("^/(v1beta|v1)/cachedContents(?:/" + ID + ")?$");

  private static final Endpoint MODERATIONS = new Endpoint("moderations", new OpenAiMediaInspector(Kind.MODERATION, false),
      WholeBodyUsage.free(true), true, null, false, Body.JSON, Billing.PER_CALL, null);
  private static final Endpoint IMAGES = new Endpoint("images", new OpenAiMediaInspector(Kind.IMAGES, false),
      OpenAiMediaUsage.images(), true, null, false, Body.JSON, Billing.PER_CALL, null);
  private static final Endpoint IMAGE_EDITS = new Endpoint("images", new OpenAiMediaInspector(Kind.IMAGES, true),
      OpenAiMediaUsage.images(), true, null, false, Body.FORM, Billing.PER_CALL, null);
  /** Speech answers are audio: billed by the characters asked for, or, for models billed by the token, unpriced. */
  private static final Endpoint SPEECH = new Endpoint("speech", new OpenAiMediaInspector(Kind.SPEECH, false),
      WholeBodyUsage.free(false), true, null, false, Body.JSON, Billing.PER_CALL, null);
  private static final Endpoint TRANSCRIPTIONS = new Endpoint("transcriptions",
      new OpenAiMediaInspector(Kind.TRANSCRIPTION, true), OpenAiMediaUsage.transcriptions(), true, null, false, Body.FORM,
      Billing.PER_CALL, null);
  private static final Endpoint TRANSLATIONS = new Endpoint("translations", TRANSCRIPTIONS.inspector(),
      TRANSCRIPTIONS.usage(), true, null, false, Body.FORM, Billing.PER_CALL, null);

  private ResourceEndpoints() {}

  /** OpenAI's, as the compatible providers serve whichever of them they have. */
  static Optional<Endpoint> openAi(String method, String path) {
    if (method.equals("POST")) {
      Endpoint media = switch (path) {
        case "/moderations" -> MODERATIONS;
        case "/images/generations" -> IMAGES;
        case "/images/edits", "/images/variations" -> IMAGE_EDITS;
        case "/audio/speech" -> SPEECH;
        case "/audio/transcriptions" -> TRANSCRIPTIONS;
        case "/audio/translations" -> TRANSLATIONS;
        default -> null;
      };
      if (media != null) {
        return Optional.of(media);
      }
    }
    Matcher m = OPENAI.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    String kind = m.group(1);
    String id = m.group(2);
    String action = m.group(3);
    boolean allowed = switch (method) {
      case "GET" -> action == null || action.equals("content") && kind.equals("files")
          || action.equals("input_items") && kind.equals("responses");
      case "POST" -> id == null ? !kind.equals("responses") : "cancel".equals(action) && !kind.equals("files");
      case "DELETE" -> id != null && action == null && !kind.equals("batches");
      default -> false;
    };
    if (!allowed) {
      return Optional.empty();
    }
    Body body = method.equals("POST") && id == null ? (kind.equals("files") ? Body.FORM : Body.JSON) : Body.NONE;
    if (method.equals("GET") && "content".equals(action)) { // a batch's output is a file: billed when first read
      return Optional.of(once(kind, new OpenAiBatchOutputUsage(), Billing.ONCE_AT_BATCH_RATE, id));
    }
    if (method.equals("GET") && kind.equals("responses") && id != null && action == null) {
      return Optional.of(once(kind, OpenAiMediaUsage.storedResponse(), Billing.ONCE, id));
    }
    return Optional.of(free(kind, body));
  }

  static Optional<Endpoint> anthropic(String method, String path) {
    Matcher m = ANTHROPIC.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    String id = m.group(1);
    String action = m.group(2);
    return switch (method) {
      case "GET" -> "cancel".equals(action) ? Optional.empty() : Optional.of("results".equals(action)
          ? once("batches", new AnthropicBatchResultsUsage(), Billing.ONCE_AT_BATCH_RATE, id)
          : free("batches", Body.NONE));
      case "POST" -> id == null ? Optional.of(free("batches", Body.JSON))
          : "cancel".equals(action) ? Optional.of(free("batches", Body.NONE)) : Optional.empty();
      case "DELETE" -> id != null && action == null ? Optional.of(free("batches", Body.NONE)) : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Gemini's cached contents; their storage by the hour is not metered (no catalog prices it). */
  static Optional<Endpoint> gemini(String method, String path) {
    Matcher m = GEMINI.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    boolean one = m.group(2) != null;
    boolean allowed = switch (method) {
      case "GET" -> true;
      case "POST" -> !one;
      case "PATCH", "DELETE" -> one;
      default -> false;
    };
    return allowed ? Optional.of(free("cached_contents", method.equals("GET") || method.equals("DELETE") ? Body.NONE
        : Body.JSON)) : Optional.empty();
  }

  private static Endpoint free(String api, Body body) {
    return new Endpoint(api, new FreeCallInspector(api), WholeBodyUsage.free(false), true, null, false, body,
        Billing.FREE, null);
  }

  private static Endpoint once(String api, UsageExtractor usage, Billing billing, String id) {
    return new Endpoint(api, new FreeCallInspector(api), usage, true, null, false, Body.NONE, billing, id);
  }
}
