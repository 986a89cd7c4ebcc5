package io.tollgate.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model prices by provider and model name. Immutable; each catalog has a version that every usage record
 * carries, so a cost can always be recomputed. Reads genai-prices' {@code data.json} (the bundled one),
 * LiteLLM's {@code model_prices_and_context_window.json}, or Tollgate's own format, told apart by shape.
 *
 * <p>A name resolves within its provider by the catalog's own matching rules, then with a trailing date
 * removed ({@code gpt-4o-2024-08-06} → {@code gpt-4o}). Azure falls back to OpenAI's prices; an OpenRouter
 * name {@code vendor/model} falls back to that vendor's.
 */
public final class PricingCatalog {
  private static final String GENAI_PRICES = "/io/tollgate/protocol/pricing/genai-prices.json";
  private static final String LITELLM_PRICES = "/io/tollgate/protocol/pricing/litellm-prices.json";
  static final String BUNDLED_VERSION = "genai-prices@47df840a+litellm@e7f7c192 (2026-08-21)";

  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");
  /** Tollgate's provider ids to the catalogs' provider ids, in order of preference. */
  private static final Map<String, List<String>> PROVIDER_NAMES = Map.of(
      "gemini", List.of("google", "gemini"),
      "xai", List.of("x-ai", "xai"),
      "azure", List.of("azure", "openai"));
  private static final int MAX_CACHED_NAMES = 10_000;

  private final String version;
  private final String source;
  private final Map<String, List<CatalogEntry>> entries;
  /** Asked for models this catalog does not know; null for none. */
  private final PricingCatalog fallback;
  private final Map<String, Optional<CatalogEntry>> resolved = new ConcurrentHashMap<>();

  /** A model's canonical catalog id and its price at the time asked. */
  public record Resolved(String modelId, ModelPrice price) {}

  PricingCatalog(String version, String source, Map<String, List<CatalogEntry>> entries) {
    this(version, source, entries, null);
  }

  private PricingCatalog(String version, String source, Map<String, List<CatalogEntry>> entries, PricingCatalog fallback) {
    this.version = version;
    this.source = source;
    this.entries = Map.copyOf(entries);
    this.fallback = fallback;
  }

  /**
   * The catalog the node ships: genai-prices (the freshest, with tiers and cache rules), and for models it
   * lacks, LiteLLM's prices (older, but it knows more hosted open models, e.g. Together's).
   */
  public static PricingCatalog bundled() {
    PricingCatalog litellm = LiteLlmFormat.read(resource(LITELLM_PRICES), BUNDLED_VERSION);
    PricingCatalog genai = GenaiPricesFormat.read(resource(GENAI_PRICES), BUNDLED_VERSION, "pydantic/genai-prices");
    return new PricingCatalog(BUNDLED_VERSION, "pydantic/genai-prices, then BerriAI/litellm", genai.entries, litellm);
  }

  private static JsonNode resource(String name) {
    try (InputStream in = PricingCatalog.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("bundled pricing catalog missing: " + name);
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a catalog in any of the three formats.
   *
   * @throws IllegalArgumentException if it is none of them, or a price is negative or malformed
   */
  public static PricingCatalog load(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    JsonNode root = Json.MAPPER.readTree(bytes);
    String digest = "sha256:" + sha256(bytes).substring(0, 12);
    if (root != null && root.isArray()) {
      return GenaiPricesFormat.read(root, "genai-prices " + digest, "genai-prices data.json");
    }
    if (root != null && root.isObject() && root.has("models") && root.get("models").isArray()) {
      return TollgateFormat.read(root);
    }
    if (root != null && root.isObject() && LiteLlmFormat.looksLike(root)) {
      return LiteLlmFormat.read(root, "litellm " + digest);
    }
    throw new IllegalArgumentException("not a pricing catalog: expected genai-prices data.json, LiteLLM's"
        + " model_prices json, or Tollgate's {\"version\", \"models\": [...]}");
  }

  public String version() {
    return version;
  }

  public String source() {
    return source;
  }

  public int size() {
    return entries.values().stream().mapToInt(List::size).sum() + (fallback == null ? 0 : fallback.size());
  }

  /**
   * The ids of the models this catalog prices for a provider (Tollgate's id), sorted: its primary source's,
   * or its fallback's if the primary has none for the provider.
   */
  public List<String> models(String provider) {
    java.util.TreeSet<String> ids = new java.util.TreeSet<>();
    for (String catalogProvider : PROVIDER_NAMES.getOrDefault(provider, List.of(provider))) {
      entries.getOrDefault(catalogProvider, List.of()).forEach(e -> ids.add(e.id()));
      if (!ids.isEmpty()) {
        break;
      }
    }
    if (ids.isEmpty() && fallback != null) {
      return fallback.models(provider);
    }
    return List.copyOf(ids);
  }

  /** The model's catalog entry and its price at {@code atMillis}, if the catalog knows it. */
  public Optional<Resolved> resolve(String provider, String model, long atMillis) {
    return entryFor(provider, model).map(e -> new Resolved(e.id(), e.priceAt(atMillis))).filter(r -> r.price() != null);
  }

  /** The price now, if the catalog knows the model. */
  public Optional<ModelPrice> priceOf(String provider, String model) {
    return resolve(provider, model, System.currentTimeMillis()).map(Resolved::price);
  }

  /** The most the model can cost per token, whenever a request runs (for holds against a budget). */
  public Optional<Resolved> resolveDearest(String provider, String model) {
    return entryFor(provider, model).map(e -> new Resolved(e.id(), e.dearest()));
  }

  private Optional<CatalogEntry> entryFor(String provider, String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String key = provider + '/' + model;
    Optional<CatalogEntry> entry = resolved.get(key);
    if (entry == null) {
      entry = find(provider, model.toLowerCase(Locale.ROOT));
      if (resolved.size() < MAX_CACHED_NAMES) {
        resolved.put(key, entry); // bounded: clients choose model names
      }
    }
    return entry;
  }

  private Optional<CatalogEntry> find(String provider, String name) {
    for (String catalogProvider : PROVIDER_NAMES.getOrDefault(provider, List.of(provider))) {
      Optional<CatalogEntry> found = findIn(catalogProvider, name);
      if (found.isPresent()) {
        return found;
      }
    }
    int slash = name.indexOf('/');
    if (provider.equals("openrouter") && slash > 0) {
      String vendor = name.substring(0, slash);
      Optional<CatalogEntry> found = findIn(vendor, name.substring(slash + 1));
      if (found.isPresent()) {
        return found;
      }
    }
    return fallback == null ? Optional.empty() : fallback.find(provider, name);
  }

  private Optional<CatalogEntry> findIn(String catalogProvider, String name) {
    List<CatalogEntry> candidates = entries.getOrDefault(catalogProvider, List.of());
    Optional<CatalogEntry> exact = candidates.stream().filter(e -> e.names().test(name)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    String undated = DATE_SUFFIX.matcher(name).replaceFirst("");
    return undated.equals(name) ? Optional.empty() : candidates.stream().filter(e -> e.names().test(undated)).findFirst();
  }

  static Map<String, List<CatalogEntry>> newEntries() {
    return new LinkedHashMap<>();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
