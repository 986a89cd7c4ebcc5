package io.tollgate.node.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.UsageRecord;
import java.util.Locale;

/**
 * A request's span: the OpenTelemetry GenAI attributes ({@code gen_ai.provider.name}, {@code gen_ai.request.model},
 * {@code gen_ai.usage.input_tokens}, ...) and Tollgate's own (cost, org, key, attribution, outcome), set when the
 * request ends. Cost is an integer of nano-USD and its decimal string, never a floating-point number.
 *
 * @param traceparent the span's context as a W3C header, passed to the provider
 */
public record RequestSpan(Span span, String traceparent) {
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  private static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  /** What is known when the request arrives. */
  public void asked(String provider, String operation, String model, Long maxTokens, String requestId, String org,
      String key) {
    span.setAttribute(OPERATION, operation);
    span.setAttribute(PROVIDER, providerName(provider));
    if (model != null) {
      span.setAttribute(REQUEST_MODEL, model);
    }
    if (maxTokens != null) {
      span.setAttribute(MAX_TOKENS, maxTokens);
    }
    span.setAttribute("tollgate.request_id", requestId);
    span.setAttribute("tollgate.org", org);
    span.setAttribute("tollgate.key", key);
  }

  /** The request ended with its record (null when it was refused before any), the client answered {@code status}. */
  public void ended(UsageRecord record, int status) {
    span.setAttribute(HTTP_STATUS, (long) status);
    if (record != null) {
      span.setAttribute(PROVIDER, providerName(record.provider()));
      span.setAttribute(RESPONSE_MODEL, record.model());
      span.setAttribute(INPUT_TOKENS, record.tokens().input());
      span.setAttribute(OUTPUT_TOKENS, record.tokens().output());
      span.setAttribute("tollgate.cost_nanos", record.costNanos());
      span.setAttribute("tollgate.cost_usd", Money.formatUsd(record.costNanos()));
      span.setAttribute("tollgate.outcome", record.outcome().name().toLowerCase(Locale.ROOT));
      if (record.attempts() != null) {
        span.setAttribute("tollgate.failed_attempts", (long) record.attempts().size());
      }
      if (record.savedCostNanos() != null) {
        span.setAttribute("tollgate.cached", true);
      }
      Attribution who = record.attribution();
      if (who != null) {
        set("tollgate.agent", who.agent());
        set("tollgate.session", who.session());
        set("tollgate.customer", who.customer());
        set("tollgate.team", who.team());
        set("tollgate.user", who.user());
        if (who.session() != null) {
          span.setAttribute(CONVERSATION, who.session());
        }
      }
    }
    if (status >= 400 || status == 0) {
      span.setAttribute(ERROR_TYPE, String.valueOf(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private void set(String name, String value) {
    if (value != null) {
      span.setAttribute(name, value);
    }
  }

  /** The provider as the GenAI conventions name it. */
  static String providerName(String provider) {
    return switch (provider) {
      case "gemini" -> "gcp.gemini";
      case "azure" -> "azure.ai.openai";
      case "xai" -> "x_ai";
      case "mistral" -> "mistral_ai";
      default -> provider;
    };
  }

  /** The GenAI operation of a Tollgate API name. */
  public static String operation(String api) {
    return switch (api) {
      case "embeddings", "embedContent", "batchEmbedContents" -> "embeddings";
      case "completions" -> "text_completion";
      case "generateContent", "streamGenerateContent" -> "generate_content";
      default -> "chat";
    };
  }
}
