package io.tollgate.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * After a mixed load (streams, errors, refusals, estimated and unpriced requests, several scopes) every read
 * model agrees with the journal and with each other to the nano-USD: the request log, usage_daily, the
 * sessions, the quota view and the invoice (with its CSV and FOCUS forms); every refusal is in the denials.
 */
class ReconciliationTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

  @Test
  void everyReadModelAgreesWithTheJournalToTheNanoUsd() {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), clock));
      try {
        node.admin().createOrg("books", null);
        String key = node.admin().issueKey("books");
        assertEquals(200, node.admin().call("PUT", "/admin/orgs/books/limits/customer/c-2",
            "{\"requests_per_minute\": 2}").status());
        assertEquals(200, node.admin().call("PATCH", "/admin/orgs/books", "{\"markup_percent\": \"12.5\"}").status());

        send(node, key, "gpt-4o-mini", false, Map.of("X-Customer-ID", "c-1", "X-Team-ID", "research",
            "X-Session-ID", "s-1", "X-Sim-Cached-Tokens", "5"), 200);
        send(node, key, "gpt-4o-mini", true, Map.of("X-Customer-ID", "c-1", "X-Session-ID", "s-1",
            "X-Sim-Reasoning-Tokens", "3"), 200);
        send(node, key, "gpt-4o", false, Map.of("X-Customer-ID", "c-2", "X-Session-ID", "s-2"), 200);
        send(node, key, "gpt-4o", true, Map.of("X-Customer-ID", "c-2"), 200);
        send(node, key, "gpt-4o", false, Map.of("X-Customer-ID", "c-2"), 429); // its limit refuses
        send(node, key, "gpt-4o-mini", false, Map.of("X-Sim-Fault", "500"), 502);
        send(node, key, "gpt-4o-mini", true, Map.of("X-Sim-Fault", "no-usage", "X-Session-ID", "s-2"), 200);
        send(node, key, "house-model-7b", false, Map.of("X-Customer-ID", "c-1"), 200); // unpriced

        Eventually.await(Duration.ofSeconds(20), () -> assertEquals(7, node.journal().usage("books").size()));
        List<UsageRecord> journaled = node.journal().usage("books");
        assertTrue(journaled.stream().anyMatch(UsageRecord::estimated));
        assertTrue(journaled.stream().anyMatch(UsageRecord::unpriced));
        long cost = sum(journaled, r -> true);
        long refused = node.journal().events("books").stream().filter(OrgEvent.RequestsDenied.class::isInstance)
            .flatMap(e -> ((OrgEvent.RequestsDenied) e).denials().stream()).mapToLong(DenialCount::count).sum();
        assertEquals(1, refused);

        Eventually.await(Duration.ofSeconds(20), () -> {
          assertEquals(7, get(node, "/admin/orgs/books/invoice?month=2026-12").get("requests").asLong());
          assertEquals(7, get(node, "/admin/orgs/books/usage").at("/total/requests").asLong());
          assertEquals(refused, get(node, "/admin/orgs/books/denials").get("denials").size());
        });

        List<JsonNode> logged = new ArrayList<>();
        String cursor = null;
        do {
          JsonNode page = get(node, "/admin/orgs/books/requests?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
          page.get("requests").forEach(logged::add);
          cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertEquals(7, logged.size());
        assertEquals(cost, logged.stream().mapToLong(r -> Money.parseUsd(r.get("cost_usd").asText())).sum(), "request log");
        assertEquals(Money.formatUsd(cost), get(node, "/admin/orgs/books/usage").at("/total/cost_usd").asText(), "usage_daily");
        assertEquals(Money.formatUsd(cost), node.admin().quota("books").at("/usage/monthly_cost_usd").asText(),
            "the quota view");
        long sessions = 0;
        for (JsonNode s : get(node, "/admin/orgs/books/sessions").get("sessions")) {
          sessions += Money.parseUsd(s.get("cost_usd").asText());
        }
        assertEquals(sum(journaled, r -> r.attribution().session() != null), sessions, "the sessions");

        JsonNode invoice = get(node, "/admin/orgs/books/invoice?month=2026-12");
        assertEquals(Money.formatUsd(cost), invoice.get("subtotal_usd").asText(), "the invoice");
        long lines = 0;
        for (JsonNode line : invoice.get("lines")) {
          lines += Money.parseUsd(line.get("amount_usd").asText());
        }
        assertEquals(cost, lines, "its lines add up to it");
        long markup = BigInteger.valueOf(cost).multiply(BigInteger.valueOf(125)).add(BigInteger.valueOf(500))
            .divide(BigInteger.valueOf(1000)).longValueExact();
        assertEquals(Money.formatUsd(markup), invoice.get("markup_usd").asText(), "12.5 %, rounded half up");
        assertEquals(Money.formatUsd(cost + markup), invoice.get("total_usd").asText());
        assertEquals("12.5", invoice.get("markup_percent").asText());
        assertEquals(Money.formatUsd(sum(journaled, r -> "c-1".equals(r.attribution().customer()))),
            get(node, "/admin/orgs/books/invoice?month=2026-12&customer=c-1").get("subtotal_usd").asText());
        long inputTokens = 0;
        for (JsonNode line : invoice.get("lines")) {
          if (line.get("token_class").asText().equals("cache_read")) {
            inputTokens += line.get("tokens").asLong();
          }
        }
        assertEquals(5, inputTokens, "the cached tokens, at the cache price");

        String csv = text(node, "/admin/orgs/books/invoice?month=2026-12&format=csv");
        assertEquals(Money.formatUsd(cost + markup), Money.formatUsd(column(csv, "amount_usd")), "the CSV adds up");
        String focus = text(node, "/admin/orgs/books/export/focus?month=2026-12");
        for (String mandatory : List.of("BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
            "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
            "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
            "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName")) {
          assertTrue(focus.lines().findFirst().orElseThrow().contains(mandatory), mandatory);
        }
        assertEquals(cost + markup, column(focus, "BilledCost"), "the FOCUS export adds up");
        assertEquals(400, node.admin().call("GET", "/admin/orgs/books/invoice?month=2026-13", null).status());
        assertEquals(400, node.admin().call("PATCH", "/admin/orgs/books", "{\"markup_percent\": 12}").status());
        assertEquals(404, node.admin().call("GET", "/admin/orgs/nobody/invoice", null).status());
      } finally {
        node.close();
      }
    }
  }

  private static void send(TestNode node, String key, String model, boolean stream, Map<String, String> headers,
      int status) {
    Map<String, String> all = new HashMap<>(headers);
    assertEquals(status, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
        ProxyClient.chat(model, "reconcile", 30, stream), all).statusCode());
  }

  private static long sum(List<UsageRecord> records, Predicate<UsageRecord> which) {
    return records.stream().filter(which).mapToLong(UsageRecord::costNanos).sum();
  }

  private static JsonNode get(TestNode node, String path) {
    return node.admin().call("GET", path, null).json();
  }

  private static String text(TestNode node, String path) {
    return ProxyClient.getWithAuth(node.baseUrl() + path, "Bearer " + TestNode.ADMIN_TOKEN);
  }

  /** The sum of a CSV column of USD amounts, in nano-USD (cells hold no commas here). */
  private static long column(String csv, String name) {
    List<String> rows = csv.lines().toList();
    int index = List.of(rows.get(0).split(",")).indexOf(name);
    long sum = 0;
    for (String row : rows.subList(1, rows.size())) {
      sum += Money.parseUsd(row.split(",", -1)[index]);
    }
    return sum;
  }
}
