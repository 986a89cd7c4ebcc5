package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.pricing.CatalogEntry.Priced;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tollgate's own small format, for operators who keep their own prices:
 * <pre>{"version": "...", "source": "...", "models": [{"provider": "openai", "model": "gpt-4o",
 *   "aliases": ["..."], "usd_per_mtok": {"input": "2.5", "output": "10", "cache_read": "1.25",
 *   "cache_write": ..., "cache_write_1h": ..., "reasoning": ..., "audio_input": ..., "audio_output": ...,
 *   "image_input": ..., "image_output": ...}}]}</pre>
 * Each price is a decimal (string or number) or tiered: {@code {"base": "2.5", "tiers": [{"start": 272000,
 * "price": "5"}]}}.
 */
public final class TollgateFormat {
  private TollgateFormat() {}

  static PricingCatalog read(JsonNode root) {
    String version = text(root, "version");
    Map<String, List<CatalogEntry>> entries = PricingCatalog.newEntries();
    for (JsonNode entry : root.path("models")) {
      String provider = text(entry, "provider");
      String model = text(entry, "model");
      Set<String> names = new HashSet<>();
      names.add(model.toLowerCase(Locale.ROOT));
      entry.path("aliases").forEach(a -> names.add(a.asText().toLowerCase(Locale.ROOT)));
      entries.computeIfAbsent(provider, k -> new ArrayList<>())
          .add(new CatalogEntry(model, names::contains, List.of(Priced.always(price(entry.path("usd_per_mtok"), model)))));
    }
    return new PricingCatalog(version, root.path("source").asText(""), entries);
  }

  /**
   * Reads one model's prices in this format (also what per-org price overrides are written in).
   *
   * @throws IllegalArgumentException if input or output is missing, or a price is negative or malformed
   */
  public static ModelPrice price(JsonNode usd, String model) {
    if (!usd.hasNonNull("input") || !usd.hasNonNull("output")) {
      throw new IllegalArgumentException("model " + model + " needs input and output prices");
    }
    return new ModelPrice(PriceUnits.rate(usd.get("input")), PriceUnits.rate(usd.get("output")), optional(usd, "cache_read"),
        optional(usd, "cache_write"), optional(usd, "cache_write_1h"), optional(usd, "reasoning"),
        optional(usd, "audio_input"), optional(usd, "audio_output"), optional(usd, "image_input"),
        optional(usd, "image_output"));
  }

  private static Rate optional(JsonNode usd, String field) {
    return PriceUnits.rateOrNull(usd.get(field));
  }

  /** Writes one model's prices in this format, each price a decimal string of USD per million tokens. */
  public static ObjectNode usd(ModelPrice price) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    write(out, "input", price.input());
    write(out, "output", price.output());
    write(out, "cache_read", price.cacheRead());
    write(out, "cache_write", price.cacheWrite());
    write(out, "cache_write_1h", price.cacheWrite1h());
    write(out, "reasoning", price.reasoning());
    write(out, "audio_input", price.audioInput());
    write(out, "audio_output", price.audioOutput());
    write(out, "image_input", price.imageInput());
    write(out, "image_output", price.imageOutput());
    return out;
  }

  private static void write(ObjectNode out, String field, Rate rate) {
    if (rate == null) {
      return;
    }
    if (rate.tiers().isEmpty()) {
      out.put(field, usdText(rate.basePerMtok()));
      return;
    }
    ObjectNode tiered = out.putObject(field);
    tiered.put("base", usdText(rate.basePerMtok()));
    var tiers = tiered.putArray("tiers");
    rate.tiers().forEach(t -> tiers.addObject().put("start", t.startInputTokens()).put("price", usdText(t.perMtok())));
  }

  private static String usdText(long nanosPerMtok) {
    return BigDecimal.valueOf(nanosPerMtok, 9).stripTrailingZeros().toPlainString();
  }


  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException("pricing catalog entry lacks '" + field + "': " + node);
    }
    return value.asText();
  }
}
