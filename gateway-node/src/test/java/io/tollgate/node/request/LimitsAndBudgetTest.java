package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LimitsAndBudgetTest {
  /** 20 seconds into a minute, so no window boundary falls inside a test unless it moves the clock. */
  private static final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:15:20Z"));
  private static UpstreamSimulator simulator;
  private static TestNode node;

  @BeforeAll
  static void start() {
    simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(100)));
    node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
  }

  @AfterAll
  static void stop() {
    node.close();
    simulator.close();
  }

  private static List<HttpResponse<String>> concurrently(int n, String key, String body) {
    List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, n)
        .mapToObj(i -> ProxyClient.postAsync(node.baseUrl() + "/v1/chat/completions", key, body)).toList();
    return calls.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void exactlyTheRequestsPerMinuteSucceedThenA429InOpenAiFormat() {
    node.admin().createOrg("rpm", "{\"requests_per_minute\": 5}");
    String key = node.admin().issueKey("rpm");
    List<HttpResponse<String>> responses = concurrently(12, key, ProxyClient.chat("gpt-4o-mini", "hi", 5, false));
    assertEquals(5, responses.stream().filter(r -> r.statusCode() == 200).count());
    assertEquals(7, responses.stream().filter(r -> r.statusCode() == 429).count());

    HttpResponse<String> refused = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode error = ProxyClient.json(refused);
    assertEquals("rate_limit_exceeded", error.at("/error/code").asText());
    assertEquals("requests", error.at("/error/type").asText());
    assertTrue(error.at("/error/message").asText().contains("limit 5"));
    assertEquals("40", refused.headers().firstValue("Retry-After").orElseThrow(), "seconds to the next minute");
    assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals("rate_limited", refused.headers().firstValue("X-Tollgate-Error").orElseThrow());

    clock.advance(Duration.ofSeconds(40));
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 5, false)).statusCode(), "a new minute opens");
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonNode quota = node.admin().quota("rpm");
      assertEquals(6, quota.at("/usage/monthly_requests").asLong());
      assertEquals(1, quota.at("/usage/requests_this_minute").asLong());
      assertEquals(6, node.journal().usage("rpm").size(), "refused requests are not usage");
    });
  }

  @Test
  void concurrentRequestsNeverPushSpendPastTheBudget() {
    // Each request may cost at most (body bytes) * $0.15/M + 20 * $0.60/M, about 0.00004 USD; it really
    // costs about a third of that. 60 at once against 0.0002 USD: a handful are admitted.
    node.admin().createOrg("budget", "{\"monthly_budget_usd\": \"0.0002\"}");
    String key = node.admin().issueKey("budget");
    String body = ProxyClient.chat("gpt-4o-mini", "Tell me a short story about a careful accountant.", 20, false);
    List<HttpResponse<String>> first = concurrently(60, key, body);
    List<HttpResponse<String>> second = concurrently(60, key, body);

    long ok = first.stream().filter(r -> r.statusCode() == 200).count() + second.stream().filter(r -> r.statusCode() == 200).count();
    HttpResponse<String> refused = first.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertEquals("insufficient_quota", ProxyClient.json(refused).at("/error/code").asText());
    assertTrue(ok > 0 && ok < 120, "some admitted, the rest refused: " + ok);

    long budget = Money.parseUsd("0.0002");
    Eventually.await(Duration.ofSeconds(10), () -> {
      List<UsageRecord> journaled = node.journal().usage("budget");
      assertEquals(ok, journaled.size());
      long spent = journaled.stream().mapToLong(UsageRecord::costNanos).sum();
      assertTrue(spent <= budget, "spent " + spent + " of " + budget);
      JsonNode quota = node.admin().quota("budget");
      assertEquals(Money.formatUsd(spent), quota.at("/usage/monthly_cost_usd").asText());
      assertEquals("0.000000000", quota.at("/usage/reserved_cost_usd").asText());
    });
  }

  @Test
  void tokensPerMinuteCountTheReservationThenTheActuals() {
    node.admin().createOrg("tpm", "{\"tokens_per_minute\": 200}");
    String key = node.admin().issueKey("tpm");
    // max_tokens 500 can never fit 200 tokens a minute: refused without calling the provider.
    HttpResponse<String> tooBig = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 500, false));
    assertEquals(429, tooBig.statusCode());
    assertEquals("tokens", ProxyClient.json(tooBig).at("/error/type").asText());
    long before = simulator.requests();
    HttpResponse<String> fits = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat("gpt-4o-mini", "hi", 10, false));
    assertEquals(200, fits.statusCode());
    assertEquals(before + 1, simulator.requests());
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonNode quota = node.admin().quota("tpm");
      long used = quota.at("/usage/monthly_tokens/input").asLong() + quota.at("/usage/monthly_tokens/output").asLong();
      assertEquals(used, quota.at("/usage/tokens_this_minute").asLong(), "the estimate was replaced by the actual tokens");
    });
  }

  @Test
  void aRequestTheProviderRefusedIsOnRecordButUsesNoQuota() {
    node.admin().createOrg("retries", "{\"monthly_requests\": 2, \"requests_per_minute\": 2}");
    String key = node.admin().issueKey("retries");
    String body = ProxyClient.chat("gpt-4o-mini", "hi", 5, false);
    HttpResponse<String> refused = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body,
        java.util.Map.of("X-Sim-Fault", "429"));
    assertEquals(429, refused.statusCode(), "the provider's own 429, passed on");
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body).statusCode(),
        "the SDK's retry is not counted twice");
    assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body).statusCode());
    assertEquals(429, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key, body).statusCode());
    Eventually.await(Duration.ofSeconds(10), () -> {
      assertEquals(3, node.journal().usage("retries").size(), "every attempt is on record");
      JsonNode quota = node.admin().quota("retries");
      assertEquals(2, quota.at("/usage/monthly_requests").asLong(), quota.toString());
      assertEquals(2, quota.at("/windows/minute/requests").asLong());
    });
  }
}
