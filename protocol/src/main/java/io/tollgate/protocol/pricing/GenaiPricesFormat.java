package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.pricing.CatalogEntry.Priced;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads pydantic/genai-prices' v2 {@code data.json}: providers with models, each with match clauses
 * ({@code equals}, {@code starts_with}, {@code ends_with}, {@code contains}, {@code regex}, {@code or},
 * {@code and}) and prices that are flat or tiered, possibly conditional on a start date or a daily window.
 */
final class GenaiPricesFormat {
  private GenaiPricesFormat() {}

  static PricingCatalog read(JsonNode providers, String version, String source) {
    Map<String, List<CatalogEntry>> entries = PricingCatalog.newEntries();
    for (JsonNode provider : providers) {
      List<CatalogEntry> models = new ArrayList<>();
      for (JsonNode model : provider.path("models")) {
        List<Priced> prices = prices(model.get("prices"));
        if (!prices.isEmpty()) {
          String id = model.path("id").asText();
          Predicate<String> names = model.has("match") ? matcher(model.get("match")) : id.toLowerCase(Locale.ROOT)::equals;
          models.add(new CatalogEntry(id, names, prices));
        }
      }
      entries.put(provider.path("id").asText(), models);
    }
    return new PricingCatalog(version, source, entries);
  }

  private static List<Priced> prices(JsonNode prices) {
    List<Priced> out = new ArrayList<>();
    if (prices == null || prices.isNull()) {
      return out;
    }
    if (prices.isArray()) {
      for (JsonNode conditional : prices) {
        ModelPrice price = price(conditional.get("prices"));
        if (price == null) {
          continue;
        }
        JsonNode c = conditional.path("constraint");
        out.add(new Priced(
            c.hasNonNull("start_date") ? LocalDate.parse(c.get("start_date").asText()) : null,
            c.hasNonNull("start_time") ? utcTime(c.get("start_time").asText()) : null,
            c.hasNonNull("end_time") ? utcTime(c.get("end_time").asText()) : null,
            price));
      }
    } else {
      ModelPrice price = price(prices);
      if (price != null) {
        out.add(Priced.always(price));
      }
    }
    return out;
  }

  /** A daily time, {@code 00:30:00Z} or with another offset, as UTC (no offset means UTC). */
  private static LocalTime utcTime(String text) {
    boolean hasOffset = text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$");
    return hasOffset
        ? OffsetTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime()
        : LocalTime.parse(text);
  }

  /** Token prices only (per-request or per-search prices are not token costs); null when not a token model. */
  private static ModelPrice price(JsonNode p) {
    if (p == null || !p.has("input_mtok")) {
      return null;
    }
    return new ModelPrice(PriceUnits.rate(p.get("input_mtok")),
        p.has("output_mtok") ? PriceUnits.rate(p.get("output_mtok")) : Rate.flat(0),
        PriceUnits.rateOrNull(p.get("cache_read_mtok")), PriceUnits.rateOrNull(p.get("cache_write_mtok")),
        PriceUnits.rateOrNull(p.get("cache_write_1h_mtok")), PriceUnits.rateOrNull(p.get("output_reasoning_mtok")),
        PriceUnits.rateOrNull(p.get("input_audio_mtok")), PriceUnits.rateOrNull(p.get("output_audio_mtok")),
        PriceUnits.rateOrNull(p.get("input_image_mtok")), PriceUnits.rateOrNull(p.get("output_image_mtok")));
  }

  static Predicate<String> matcher(JsonNode clause) {
    if (clause.has("or")) {
      List<Predicate<String>> any = new ArrayList<>();
      clause.get("or").forEach(c -> any.add(matcher(c)));
      return name -> any.stream().anyMatch(p -> p.test(name));
    }
    if (clause.has("and")) {
      List<Predicate<String>> all = new ArrayList<>();
      clause.get("and").forEach(c -> all.add(matcher(c)));
      return name -> all.stream().allMatch(p -> p.test(name));
    }
    if (clause.has("regex")) {
      Pattern pattern = Pattern.compile(clause.get("regex").asText(), Pattern.CASE_INSENSITIVE);
      return name -> pattern.matcher(name).find();
    }
    for (String kind : new String[] {"equals", "starts_with", "ends_with", "contains"}) {
      if (clause.has(kind)) {
        String value = clause.get(kind).asText().toLowerCase(Locale.ROOT);
        return switch (kind) {
          case "equals" -> value::equals;
          case "starts_with" -> name -> name.startsWith(value);
          case "ends_with" -> name -> name.endsWith(value);
          default -> name -> name.contains(value);
        };
      }
    }
    return name -> false;
  }
}
