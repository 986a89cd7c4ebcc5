package io.tollgate.protocol.provider.openai;

import static io.tollgate.protocol.usage.UsageJson.count;
import static io.tollgate.protocol.usage.UsageJson.countOrNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.provider.UsageExtractor;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import io.tollgate.protocol.usage.UsageJson;
import java.io.IOException;
import java.util.Optional;

/**
 * Usage from OpenAI chat completions and the providers that copy its shape (Azure, xAI, Mistral, Groq,
 * DeepSeek, Together, OpenRouter). {@code prompt_tokens} already includes cached tokens and, except at xAI,
 * {@code completion_tokens} already includes reasoning. The providers' variations do not conflict, so one
 * reader takes them all: the cached count under {@code prompt_tokens_details}, at the top of {@code usage}
 * (Together) or as {@code prompt_cache_hit_tokens} (DeepSeek); usage under {@code x_groq} (older Groq); the
 * provider's own cost as {@code usage.cost} in USD (OpenRouter) or {@code cost_in_usd_ticks} (xAI, 1e-10 USD).
 */
public final class OpenAiChatUsage implements UsageExtractor {
  private final boolean reasoningOutsideCompletion;

  public OpenAiChatUsage() {
    this(false);
  }

  /** @param reasoningOutsideCompletion true for xAI chat, whose completion_tokens leave reasoning out */
  public OpenAiChatUsage(boolean reasoningOutsideCompletion) {
    this.reasoningOutsideCompletion = reasoningOutsideCompletion;
  }

  @Override
  public Optional<ReportedUsage> fromBody(byte[] body) {
    // A streaming parse that materializes only the fields usage lives in: bodies can be large.
    ObjectNode kept = Json.MAPPER.createObjectNode();
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("model") || field.equals("usage") || field.equals("x_groq")) {
          kept.set(field, p.readValueAsTree());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return reported(kept);
  }

  @Override
  public String completionText(byte[] body) {
    JsonNode response = Json.treeOrNull(body);
    StringBuilder text = new StringBuilder();
    if (response != null) {
      for (JsonNode choice : response.path("choices")) {
        JsonNode message = choice.path("message");
        Json.appendText(text, message.get("content"));
        Json.appendText(text, message.get("reasoning_content"));
        for (JsonNode call : message.path("tool_calls")) {
          Json.appendText(text, call.path("function").get("name"));
          Json.appendText(text, call.path("function").get("arguments"));
        }
      }
      for (JsonNode item : response.path("data")) { // embeddings have no output text
        Json.appendText(text, item.get("text"));
      }
    }
    return text.toString();
  }

  @Override
  public StreamUsageReader streamReader(boolean hideForcedUsage) {
    return new OpenAiChatStreamReader(this, hideForcedUsage);
  }

  /** The usage a response or chunk object reports, if it reports any. */
  Optional<ReportedUsage> reported(JsonNode object) {
    JsonNode usage = usageNode(object);
    if (usage == null) {
      return Optional.empty();
    }
    String model = UsageJson.text(object, "model");
    return Optional.of(new ReportedUsage(model == null || model.isEmpty() ? null : model, tokens(usage), cost(usage)));
  }

  static JsonNode usageNode(JsonNode object) {
    JsonNode usage = object.get("usage");
    if (usage != null && usage.isObject()) {
      return usage;
    }
    JsonNode groq = object.path("x_groq").get("usage");
    return groq != null && groq.isObject() ? groq : null;
  }

  TokenUsage tokens(JsonNode usage) {
    Long cached = countOrNull(usage, "prompt_tokens_details", "cached_tokens");
    if (cached == null) {
      cached = countOrNull(usage, "cached_tokens");
    }
    if (cached == null) {
      cached = countOrNull(usage, "prompt_cache_hit_tokens");
    }
    Long reasoning = countOrNull(usage, "completion_tokens_details", "reasoning_tokens");
    long output = count(usage, "completion_tokens") + (reasoningOutsideCompletion && reasoning != null ? reasoning : 0);
    return new TokenUsage(count(usage, "prompt_tokens"), output, cached == null ? 0 : cached,
        count(usage, "prompt_tokens_details", "cache_write_tokens"), reasoning).withMedia(media(usage));
  }

  /** Audio and image tokens, which OpenAI (and xAI) count inside prompt and completion tokens. */
  static TokenUsage.Media media(JsonNode usage) {
    return new TokenUsage.Media(count(usage, "prompt_tokens_details", "audio_tokens"),
        count(usage, "completion_tokens_details", "audio_tokens"), count(usage, "prompt_tokens_details", "image_tokens"),
        count(usage, "completion_tokens_details", "image_tokens"));
  }

  static Long cost(JsonNode usage) {
    Long usd = UsageJson.usdAsNanos(usage, "cost");
    return usd != null ? usd : UsageJson.scaledUsdAsNanos(usage, 10, "cost_in_usd_ticks");
  }

  static String peekModel(byte[] data) {
    try (JsonParser p = Json.MAPPER.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("model") && value == JsonToken.VALUE_STRING) {
          String model = p.getText();
          return model.isEmpty() ? null : model;
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
