package io.tollgate.node.cluster;

import static io.tollgate.node.request.GatewayResponses.COST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.AdminClient;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM behave as one gateway: one org actor per org, wherever the request lands. */
class ThreeNodeClusterTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T09:00:10Z"));
  private static UpstreamSimulator simulator;
  private static List<TestNode> nodes;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(20)));
    nodes = TestNode.cluster(3, TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
  }

  @AfterAll
  static void stop() {
    nodes.forEach(TestNode::close);
    simulator.close();
  }

  private static String url(int node) {
    return nodes.get(node % 3).baseUrl() + "/v1/chat/completions";
  }

  @Test
  void aLimitHoldsExactlyForRequestsSpreadOverEveryNode() {
    nodes.get(0).admin().createOrg("spread", "{\"requests_per_minute\": 10}");
    String key = nodes.get(1).admin().issueKey("spread");
    String body = ProxyClient.chat("gpt-4o-mini", "hello", 4, false);
    List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 30)
        .mapToObj(i -> ProxyClient.postAsync(url(i), key, body)).toList();
    List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

    assertEquals(10, responses.stream().filter(r -> r.statusCode() == 200).count());
    assertEquals(20, responses.stream().filter(r -> r.statusCode() == 429).count());
    for (int n = 0; n < 3; n++) {
      int node = n;
      long servedHere = IntStream.range(0, 30).filter(i -> i % 3 == node).count();
      assertEquals(10, servedHere, "each node took a third of the requests");
    }
    Eventually.await(Duration.ofSeconds(10), () -> {
      for (TestNode node : nodes) {
        JsonNode quota = node.admin().quota("spread");
        assertEquals(10, quota.at("/usage/requests_this_minute").asLong());
        assertEquals(10, quota.at("/usage/monthly_requests").asLong());
      }
    });
  }

  @Test
  void aKeyRevokedThroughOneNodeIsRefusedOnTheOthersAtOnce() {
    nodes.get(0).admin().createOrg("revoke", null);
    String key = nodes.get(0).admin().issueKey("revoke");
    String body = ProxyClient.chat("gpt-4o-mini", "hello", 4, false);
    for (int n = 0; n < 3; n++) {
      assertEquals(200, ProxyClient.post(url(n), key, body).statusCode());
    }
    String keyId = key.split("_")[2];
    assertEquals(200, nodes.get(1).admin().call("DELETE", "/admin/orgs/revoke/keys/" + keyId, null).status());
    for (int n = 0; n < 3; n++) {
      HttpResponse<String> refused = ProxyClient.post(url(n), key, body);
      assertEquals(401, refused.statusCode(), "node " + n);
      assertEquals("invalid_api_key", ProxyClient.json(refused).at("/error/code").asText());
    }
  }

  @Test
  void anOrgsOwnPriceAppliesToItsNextRequestOnEveryNode() {
    nodes.get(0).admin().createOrg("discount", null);
    String key = nodes.get(0).admin().issueKey("discount");
    String body = ProxyClient.chat("gpt-4o-mini", "what does a negotiated discount cost", 16, false);
    HttpResponse<String> before = ProxyClient.post(url(0), key, body);
    assertEquals(costAt(before, "0.15", "0.075", "0.60"), before.headers().firstValue(COST).orElseThrow(),
        "the catalog's price");

    AdminClient.Reply set = nodes.get(1).admin().call("PUT", "/admin/orgs/discount/pricing/gpt-4o-mini",
        "{\"usd_per_mtok\": {\"input\": \"0.10\", \"output\": \"0.30\", \"cache_read\": \"0.02\"}}");
    assertEquals(200, set.status(), set.json().toString());
    assertEquals("0.3", set.json().at("/overrides/0/usd_per_mtok/output").asText());

    for (int n = 0; n < 3; n++) {
      HttpResponse<String> after = ProxyClient.post(url(n), key, body);
      assertEquals(200, after.statusCode());
      assertEquals(costAt(after, "0.10", "0.02", "0.30"), after.headers().firstValue(COST).orElseThrow(), "node " + n);
    }

    assertEquals(200, nodes.get(2).admin().call("DELETE", "/admin/orgs/discount/pricing/GPT-4o-mini", null).status());
    HttpResponse<String> reverted = ProxyClient.post(url(1), key, body);
    assertEquals(costAt(reverted, "0.15", "0.075", "0.60"), reverted.headers().firstValue(COST).orElseThrow());

    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> records = nodes.get(2).journal().usage("discount");
      assertEquals(5, records.size());
      List<String> sources = records.stream().map(UsageRecord::pricingVersion).toList();
      assertEquals(3, sources.stream().filter(s -> s.startsWith("org-override@")).count(), sources.toString());
      assertEquals(2, sources.stream().filter(s -> s.startsWith("genai-prices@")).count(), sources.toString());
    });
  }

  @Test
  void anOrgThatRefusesUnpricedModelsIsObeyedOnEveryNode() {
    nodes.get(0).admin().createOrg("strict", null);
    String key = nodes.get(0).admin().issueKey("strict");
    String unpriced = ProxyClient.chat("house-model-7b", "hello", 4, false);
    assertEquals(200, ProxyClient.post(url(0), key, unpriced).statusCode(), "served and flagged by default");

    AdminClient.Reply policy = nodes.get(2).admin().call("PUT", "/admin/orgs/strict/pricing", "{\"unpriced_models\": \"refuse\"}");
    assertEquals("refuse", policy.json().get("unpriced_models").asText());
    for (int n = 0; n < 3; n++) {
      HttpResponse<String> refused = ProxyClient.post(url(n), key, unpriced);
      assertEquals(400, refused.statusCode(), "node " + n);
      assertEquals("invalid_request_error", ProxyClient.json(refused).at("/error/type").asText());
      assertTrue(ProxyClient.json(refused).at("/error/message").asText().contains("house-model-7b"));
      assertEquals(200, ProxyClient.post(url(n), key, ProxyClient.chat("gpt-4o-mini", "hello", 4, false)).statusCode());
    }
    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> records = nodes.get(1).journal().usage("strict");
      assertEquals(4, records.size(), "refused requests are not usage");
      assertEquals(1, records.stream().filter(UsageRecord::unpriced).count());
    });
  }

  /** The cost of a response's reported usage at the given USD-per-million prices, worked out in decimals. */
  private static String costAt(HttpResponse<String> response, String input, String cachedInput, String output) {
    JsonNode usage = ProxyClient.json(response).get("usage");
    long prompt = usage.get("prompt_tokens").asLong();
    long cached = usage.at("/prompt_tokens_details/cached_tokens").asLong(0);
    long completion = usage.get("completion_tokens").asLong();
    return new BigDecimal(input).multiply(BigDecimal.valueOf(prompt - cached))
        .add(new BigDecimal(cachedInput).multiply(BigDecimal.valueOf(cached)))
        .add(new BigDecimal(output).multiply(BigDecimal.valueOf(completion)))
        .divide(BigDecimal.valueOf(1_000_000)).setScale(9, RoundingMode.HALF_UP).toPlainString();
  }
}
