package io.tollgate.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(150_000_000L, mini.inputPerMtok());
    assertEquals(600_000_000L, mini.outputPerMtok());
    assertEquals(75_000_000L, mini.cacheReadPerMtok());
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
    assertTrue(catalog.priceOf("anthropic", "gpt-4o").isEmpty());
    assertTrue(catalog.priceOf("openai", null).isEmpty());
  }

  @Test
  void refusesPricesFinerThanANano() {
    String json = """
        {"version":"t","models":[{"provider":"p","model":"m","usd_per_mtok":{"input":"0.0000000001","output":"1"}}]}""";
    assertThrows(IllegalArgumentException.class,
        () -> PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesEntriesWithoutPrices() {
    String json = "{\"version\":\"t\",\"models\":[{\"provider\":\"p\",\"model\":\"m\",\"usd_per_mtok\":{\"input\":\"1\"}}]}";
    assertThrows(IllegalArgumentException.class,
        () -> PricingCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
  }
}
