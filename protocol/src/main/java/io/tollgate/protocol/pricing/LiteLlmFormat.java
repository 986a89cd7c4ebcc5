package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import io.tollgate.protocol.pricing.CatalogEntry.Priced;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json}: model names (optionally
 * {@code provider/model}) with per-token USD prices, cache prices, one-hour cache writes and the
 * above-200k-tokens tier; and the prices by the piece: per second of audio, per character to speak, and per image
 * (LiteLLM gives a price per pixel under a name with the size, {@code hd/1024-x-1792/dall-e-3}; times the
 * pixels, rounded to a tenth of a cent, it is the provider's published price per image).
 */
final class LiteLlmFormat {
  /** LiteLLM's provider names, where they differ from the catalogs' ids. */
  private static final Map<String, String> PROVIDERS = Map.of(
      "gemini", "google", "vertex_ai-language-models", "google", "xai", "x-ai", "together_ai", "together",
      "cohere_chat", "cohere", "text-completion-openai", "openai");

  private static final Pattern SIZE = Pattern.compile("(?:^|/)(\\d{2,5})-x-(\\d{2,5})/");
  private static final BigDecimal TENTH_OF_A_CENT = new BigDecimal("0.001");

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
      if (!m.isObject() || !m.hasNonNull("litellm_provider") || !(m.hasNonNull("input_cost_per_token")
          || m.hasNonNull("input_cost_per_second") || m.hasNonNull("input_cost_per_character")
          || m.hasNonNull("input_cost_per_pixel") || m.hasNonNull("output_cost_per_image"))) {
        return;
      }
      String litellmProvider = m.get("litellm_provider").asText();
      String provider = PROVIDERS.getOrDefault(litellmProvider, litellmProvider);
      String name = field.getKey().toLowerCase(Locale.ROOT);
      String bare = name.startsWith(litellmProvider + "/") ? name.substring(litellmProvider.length() + 1) : name;
      entries.computeIfAbsent(provider, k -> new ArrayList<>())
          .add(new CatalogEntry(bare, bare::equals, List.of(Priced.always(price(bare, m)))));
    });
    return new PricingCatalog(version, "LiteLLM model_prices_and_context_window.json", entries);
  }

  private static ModelPrice price(String name, JsonNode m) {
    return new ModelPrice(
        m.hasNonNull("input_cost_per_token")
            ? rate(m, "input_cost_per_token", "input_cost_per_token_above_200k_tokens") : Rate.flat(0),
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
        perToken(m, "input_cost_per_image_token"), perToken(m, "output_cost_per_image_token"),
        perImage(name, m), perToken(m, "input_cost_per_second"), perToken(m, "input_cost_per_character"));
  }

  /** Per image: LiteLLM's own, else its price per pixel times the pixels its name's size has; null if neither. */
  private static Rate perImage(String name, JsonNode m) {
    if (m.hasNonNull("output_cost_per_image")) {
      return Rate.flat(PriceUnits.usdPerToken(m.get("output_cost_per_image")));
    }
    Matcher size = SIZE.matcher(name);
    if (!m.hasNonNull("input_cost_per_pixel") || !size.find()) {
      return null;
    }
    BigDecimal pixels = new BigDecimal(size.group(1)).multiply(new BigDecimal(size.group(2)));
    BigDecimal usd = m.get("input_cost_per_pixel").decimalValue().multiply(pixels)
        .divide(TENTH_OF_A_CENT, 0, RoundingMode.HALF_UP).multiply(TENTH_OF_A_CENT);
    return Rate.flat(PriceUnits.usdPerToken(new DecimalNode(usd)));
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
