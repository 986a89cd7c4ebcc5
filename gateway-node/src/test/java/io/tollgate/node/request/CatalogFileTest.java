package io.tollgate.node.request;

import static io.tollgate.node.request.GatewayResponses.COST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's catalog file (here in LiteLLM's format) replaces the bundled prices without a rebuild. */
class CatalogFileTest {

  @Test
  void aNodeStartedWithACatalogFilePricesByIt(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("model_prices.json");
    Files.writeString(catalog, """
        {"sample_spec": {"input_cost_per_token": 0, "litellm_provider": "openai"},
         "gpt-4o-mini": {"input_cost_per_token": 0.000001, "output_cost_per_token": 0.000003,
                         "cache_read_input_token_cost": 0.0000005, "litellm_provider": "openai", "mode": "chat"}}""");
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
         TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
             .withExtra("tollgate.pricing.catalog = \"" + catalog.toString().replace("\\", "/") + "\""))) {
      node.admin().createOrg("own-prices", null);
      String key = node.admin().issueKey("own-prices");
      HttpResponse<String> response = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
          ProxyClient.chat("gpt-4o-mini", "priced by the operator's file", 8, false));
      assertEquals(200, response.statusCode());

      JsonNode usage = ProxyClient.json(response).get("usage");
      long cached = usage.at("/prompt_tokens_details/cached_tokens").asLong(0);
      String expected = new BigDecimal("1").multiply(BigDecimal.valueOf(usage.get("prompt_tokens").asLong() - cached))
          .add(new BigDecimal("0.5").multiply(BigDecimal.valueOf(cached)))
          .add(new BigDecimal("3").multiply(BigDecimal.valueOf(usage.get("completion_tokens").asLong())))
          .divide(BigDecimal.valueOf(1_000_000)).setScale(9, RoundingMode.HALF_UP).toPlainString();
      assertEquals(expected, response.headers().firstValue(COST).orElseThrow());

      String version = node.admin().call("GET", "/admin/orgs/own-prices/pricing", null).json().get("catalog_version").asText();
      assertTrue(version.startsWith("litellm sha256:"), version);
      Eventually.await(Duration.ofSeconds(10), () -> {
        List<UsageRecord> records = node.journal().usage("own-prices");
        assertEquals(1, records.size());
        assertEquals(version, records.get(0).pricingVersion(), "the record names the catalog it was priced with");
      });
    }
  }
}
