package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.money.Money;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Model prices by provider and model name, loaded from a JSON data file. Immutable; each catalog has a
 * version that every usage record carries, so a cost can always be recomputed.
 *
 * <p>A model resolves by exact name or alias first, then with a trailing date removed
 * ({@code gpt-4o-2024-08-06} → {@code gpt-4o}, {@code gpt-4-0613} → {@code gpt-4}).
 */
public final class PricingCatalog {
  /** The catalog shipped inside the jar. */
  public static final String BUNDLED_RESOURCE = "/io/tollgate/protocol/pricing/catalog.json";

  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");

  private final String version;
  private final String source;
  private final Map<String, ModelPrice> prices;

  private PricingCatalog(String version, String source, Map<String, ModelPrice> prices) {
    this.version = version;
    this.source = source;
    this.prices = Map.copyOf(prices);
  }

  public static PricingCatalog bundled() {
    try (InputStream in = PricingCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled pricing catalog missing: " + BUNDLED_RESOURCE);
      }
      return load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a catalog in Tollgate's format: {@code {"version", "source", "models": [{"provider", "model",
   * "aliases": [..], "usd_per_mtok": {"input", "output", "cache_read", "cache_write"}}]}}, prices as
   * decimal strings.
   *
   * @throws IllegalArgumentException if a price is missing, negative or finer than one nano-USD per Mtok
   */
  public static PricingCatalog load(InputStream json) throws IOException {
    JsonNode root = Json.MAPPER.readTree(json);
    String version = requiredText(root, "version");
    Map<String, ModelPrice> prices = new HashMap<>();
    for (JsonNode entry : root.path("models")) {
      String provider = requiredText(entry, "provider");
      ModelPrice price = parsePrice(entry.path("usd_per_mtok"), entry.path("model").asText());
      prices.put(key(provider, requiredText(entry, "model")), price);
      for (JsonNode alias : entry.path("aliases")) {
        prices.put(key(provider, alias.asText()), price);
      }
    }
    return new PricingCatalog(version, root.path("source").asText(""), prices);
  }

  public String version() {
    return version;
  }

  public String source() {
    return source;
  }

  public int size() {
    return prices.size();
  }

  /** The price of a model as the provider named it, if the catalog knows it. */
  public Optional<ModelPrice> priceOf(String provider, String model) {
    if (model == null) {
      return Optional.empty();
    }
    ModelPrice exact = prices.get(key(provider, model));
    if (exact != null) {
      return Optional.of(exact);
    }
    String undated = DATE_SUFFIX.matcher(model).replaceFirst("");
    return undated.equals(model) ? Optional.empty() : Optional.ofNullable(prices.get(key(provider, undated)));
  }

  private static ModelPrice parsePrice(JsonNode usd, String model) {
    if (!usd.hasNonNull("input") || !usd.hasNonNull("output")) {
      throw new IllegalArgumentException("model " + model + " needs input and output prices");
    }
    return new ModelPrice(
        Money.parseUsd(usd.get("input").asText()),
        Money.parseUsd(usd.get("output").asText()),
        usd.hasNonNull("cache_read") ? Money.parseUsd(usd.get("cache_read").asText()) : null,
        usd.hasNonNull("cache_write") ? Money.parseUsd(usd.get("cache_write").asText()) : null);
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException("pricing catalog entry lacks '" + field + "': " + node);
    }
    return value.asText();
  }

  private static String key(String provider, String model) {
    return provider + '/' + model.toLowerCase(Locale.ROOT);
  }
}
