package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.pricing.CatalogEntry.Priced;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json}: model names (optionally
 * {@code provider/model}) with per-token USD prices, cache prices, one-hour cache writes and the
 * above-200k-tokens tier.
 */
final class LiteLlmFormat {
  /** LiteLLM's provider names, where they differ from the catalogs' ids. */
  private static final Map<String, String> PROVIDERS = Map.of(
      "gemini", "google", "vertex_ai-language-models", "google", "xai", "x-ai", "together_ai", "together",
      "cohere_chat", "cohere", "text-completion-openai", "openai");

  private LiteLlmFormat() {}

  static boolean looksLike(JsonNode root) {
    Iterator<JsonNode> values = root.elements();
    while (values.hasNext()) {
      JsonNode v = values.next();
      if (v.isObject() && v.has("input_cost_per_token") && v.has("litellm_provider")) {
        return true;
      }
    }
    return false;
  }

  static PricingCatalog read(JsonNode root, String version) {
    Map<String, List<CatalogEntry>> entries = PricingCatalog.newEntries();
    root.fields().forEachRemaining(field -> {
      JsonNode m = field.getValue();
      if (!m.isObject() || !m.hasNonNull("input_cost_per_token") || !m.hasNonNull("litellm_provider")) {
        return;
      }
      String litellmProvider = m.get("litellm_provider").asText();
      String provider = PROVIDERS.getOrDefault(litellmProvider, litellmProvider);
      String name = field.getKey().toLowerCase(Locale.ROOT);
      String bare = name.startsWith(litellmProvider + "/") ? name.substring(litellmProvider.length() + 1) : name;
      entries.computeIfAbsent(provider, k -> new ArrayList<>())
          .add(new CatalogEntry(bare, bare::equals, List.of(Priced.always(price(m)))));
    });
    return new PricingCatalog(version, "LiteLLM model_prices_and_context_window.json", entries);
  }

  private static ModelPrice price(JsonNode m) {
    return new ModelPrice(
        rate(m, "input_cost_per_token", "input_cost_per_token_above_200k_tokens"),
        m.hasNonNull("output_cost_per_token")
            ? rate(m, "output_cost_per_token", "output_cost_per_token_above_200k_tokens") : Rate.flat(0),
        m.hasNonNull("cache_read_input_token_cost")
            ? rate(m, "cache_read_input_token_cost", "cache_read_input_token_cost_above_200k_tokens") : null,
        m.hasNonNull("cache_creation_input_token_cost")
            ? rate(m, "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_200k_tokens") : null,
        m.hasNonNull("cache_creation_input_token_cost_above_1hr")
            ? Rate.flat(PriceUnits.usdPerToken(m.get("cache_creation_input_token_cost_above_1hr"))) : null,
        perToken(m, "output_cost_per_reasoning_token"),
        perToken(m, "input_cost_per_audio_token"), perToken(m, "output_cost_per_audio_token"),
        perToken(m, "input_cost_per_image_token"), perToken(m, "output_cost_per_image_token"));
  }

  private static Rate perToken(JsonNode m, String field) {
    return m.hasNonNull(field) ? Rate.flat(PriceUnits.usdPerToken(m.get(field))) : null;
  }

  private static Rate rate(JsonNode m, String base, String above200k) {
    List<Rate.Tier> tiers = new ArrayList<>();
    if (m.hasNonNull(above200k)) {
      tiers.add(new Rate.Tier(200_000, PriceUnits.usdPerToken(m.get(above200k))));
    }
    return new Rate(PriceUnits.usdPerToken(m.get(base)), tiers);
  }
}
