package io.tollgate.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PricingCatalogTest {
  private final PricingCatalog catalog = PricingCatalog.bundled();

  @Test
  void theBundledCatalogHasAVersionAndExactPrices() {
    assertFalse(catalog.version().isBlank());
    assertTrue(catalog.source().contains("genai-prices"));
    ModelPrice mini = catalog.priceOf("openai", "gpt-4o-mini").orElseThrow();
    assertEquals(150_000_000L, mini.input().at(0));
    assertEquals(600_000_000L, mini.output().at(0));
    assertEquals(75_000_000L, mini.cacheRead().at(0));
    assertTrue(catalog.size() > 1000, "every provider's models: " + catalog.size());
  }

  @Test
  void datedModelNamesResolveToTheirFamily() {
    assertEquals(catalog.priceOf("openai", "gpt-4o-mini"), catalog.priceOf("openai", "gpt-4o-mini-2024-07-18"));
    assertEquals(catalog.priceOf("openai", "gpt-4o"), catalog.priceOf("openai", "gpt-4o-2024-08-06"));
    assertEquals(catalog.priceOf("openai", "o3-mini"), catalog.priceOf("openai", "o3-mini-2025-01-31"));
    assertEquals(catalog.priceOf("openai", "gpt-4"), catalog.priceOf("openai", "gpt-4-0613"));
  }

  @Test
  void unknownModelsAndProvidersHaveNoPrice() {
    assertTrue(catalog.priceOf("openai", "gpt-99-ultra").isEmpty());
    assertTrue(catalog.priceOf("cohere", "gpt-4o").isEmpty());
    assertTrue(catalog.priceOf("openai", null).isEmpty());
  }

  @Test
  void readsTollgatesOwnFormatWithTiers() throws Exception {
    String json = """
        {"version":"ours-1","source":"negotiated","models":[{"provider":"openai","model":"gpt-x","aliases":["gpt-x-latest"],
          "usd_per_mtok":{"input":{"base":"1","tiers":[{"start":1000,"price":"2"}]},"output":"4","cache_write_1h":"3"}}]}""";
    PricingCatalog ours = PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals("ours-1", ours.version());
    ModelPrice price = ours.priceOf("openai", "GPT-X-latest").orElseThrow();
    assertEquals(1_000_000_000L, price.input().at(1000));
    assertEquals(2_000_000_000L, price.input().at(1001));
    assertEquals(3_000_000_000L, price.cacheWrite1hOrWrite().at(0));
  }

  @Test
  void oneModelsPricesWriteAndReadBackExactly() throws Exception {
    JsonNode usd = Json.MAPPER.readTree("""
        {"input":{"base":"1.25","tiers":[{"start":200000,"price":"2.5"}]},"output":10,"cache_read":"0.000000001",
         "reasoning":"12.5"}""");
    ModelPrice price = TollgateFormat.price(usd, "m");
    assertEquals(1L, price.cacheRead().basePerMtok(), "one nano-USD per Mtok is the finest price");
    assertNull(price.cacheWrite());
    JsonNode written = TollgateFormat.usd(price);
    assertEquals("1.25", written.at("/input/base").asText());
    assertEquals("10", written.get("output").asText());
    assertEquals(price, TollgateFormat.price(written, "m"));
    assertThrows(IllegalArgumentException.class, () -> TollgateFormat.price(Json.MAPPER.readTree("{\"input\":\"1\"}"), "m"));
    assertThrows(IllegalArgumentException.class,
        () -> TollgateFormat.price(Json.MAPPER.readTree("{\"input\":\"-1\",\"output\":\"1\"}"), "m"));
    assertThrows(IllegalArgumentException.class,
        () -> TollgateFormat.price(Json.MAPPER.readTree("{\"input\":\"1e30\",\"output\":\"1\"}"), "m"));
    assertThrows(IllegalArgumentException.class,
        () -> TollgateFormat.price(Json.MAPPER.readTree("{\"input\":{\"tiers\":[{\"start\":5}]},\"output\":\"1\"}"), "m"));
  }

  @Test
  void readsLiteLlmsFormatExactly() throws Exception {
    String json = """
        {"sample_spec": {"max_tokens": 1},
         "claude-x": {"litellm_provider": "anthropic", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
           "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
           "cache_creation_input_token_cost_above_1hr": 6e-06, "input_cost_per_token_above_200k_tokens": 6e-06},
         "gemini/gem-x": {"litellm_provider": "gemini", "input_cost_per_token": 1.25e-07, "output_cost_per_token": 5e-07}}""";
    PricingCatalog litellm = PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(litellm.version().startsWith("litellm sha256:"));
    ModelPrice claude = litellm.priceOf("anthropic", "claude-x").orElseThrow();
    assertEquals(3_000_000_000L, claude.input().at(200_000));
    assertEquals(6_000_000_000L, claude.input().at(200_001));
    assertEquals(6_000_000_000L, claude.cacheWrite1hOrWrite().at(0));
    assertEquals(125_000_000L, litellm.priceOf("gemini", "gem-x").orElseThrow().input().at(0));
  }

  @Test
  void readsANewerGenaiPricesFile() throws Exception {
    String json = """
        [{"id": "openai", "models": [{"id": "gpt-new", "match": {"starts_with": "gpt-new"},
          "prices": [{"prices": {"input_mtok": 1, "output_mtok": 2}},
                     {"constraint": {"start_date": "2026-12-01"}, "prices": {"input_mtok": 0.5, "output_mtok": 1}}]}]}]""";
    PricingCatalog fresh = PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    long november = java.time.Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
    long december = java.time.Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    assertEquals(1_000_000_000L, fresh.resolve("openai", "gpt-new-2", november).orElseThrow().price().input().at(0));
    assertEquals(500_000_000L, fresh.resolve("openai", "gpt-new-2", december).orElseThrow().price().input().at(0));
    assertEquals("gpt-new", fresh.resolve("openai", "gpt-new-2", december).orElseThrow().modelId());
  }

  @Test
  void refusesWhatIsNoCatalog() {
    assertThrows(IllegalArgumentException.class,
        () -> PricingCatalog.load(new ByteArrayInputStream("{\"a\": 1}".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesEntriesWithoutPrices() {
    String json = "{\"version\":\"t\",\"models\":[{\"provider\":\"p\",\"model\":\"m\",\"usd_per_mtok\":{\"input\":\"1\"}}]}";
    assertThrows(IllegalArgumentException.class,
        () -> PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
  }
}
