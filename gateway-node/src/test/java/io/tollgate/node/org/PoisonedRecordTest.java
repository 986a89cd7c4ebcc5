package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.DatabaseSettings;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/**
 * A record the journal cannot serialize (an unpaired surrogate: no UTF-8 encoder takes it) once failed its
 * whole batch and put its org in a restart loop, serving past its budget with nothing recorded. Text is now
 * made safe where it enters; this is the last line, for a record that slips past: it is journaled in safe
 * form, the rest of its batch with it, and the org keeps serving and counting.
 */
class PoisonedRecordTest {
  private static final Duration ASK = Duration.ofSeconds(5);

  @Test
  void aRecordTheJournalRefusesIsJournaledInSafeFormWithTheRestOfItsBatch() throws Exception {
    DatabaseSettings db = TestDatabases.freshSchema();
    try (TestNode node = TestNode.start(TestNode.options(db, "http://127.0.0.1:9/v1", Clock.systemUTC()))) {
      node.admin().createOrg("poisoned", "{\"monthly_budget_usd\": \"1.00\"}");
      ClientKey key = ClientKey.parse(node.admin().issueKey("poisoned")).orElseThrow();
      String hash = new KeyHasher(TestNode.KEY_PEPPER).hash(key.secret());
      EntityRef<OrgCommand> org = node.sharding().entityRefFor(OrgEntity.TYPE_KEY, "poisoned");

      List<UsageRecord> records = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String requestId = "req-" + i;
        Admission.Admitted admitted = (Admission.Admitted) org.<Admission>ask(replyTo -> new OrgCommand.Admit(
            new AdmitRequest(requestId, key.keyId(), hash, "gpt-4o-mini", 100, 1_000), replyTo), ASK)
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        boolean poisoned = i == 1;
        records.add(new UsageRecord(requestId, admitted.reservation(), key.keyId(), admitted.admittedAtMillis(),
            admitted.admittedAtMillis() + 5, "openai", poisoned ? "gpt-4o-mini\uD800" : "gpt-4o-mini", 200,
            Outcome.COMPLETED, TokenUsage.of(40, 10), 100_000, "v", false, false,
            poisoned ? new Attribution("agent\uDC00", null, null, null, "u\uD800", Map.of("t\uD800", "v\uD800"))
                : Attribution.NONE, "chat", null));
      }
      // Sent at once, so the poisoned record shares its journal write with good ones.
      List<CompletableFuture<UsageAck>> acks = records.stream()
          .map(r -> org.<UsageAck>ask(replyTo -> new OrgCommand.Settle(r, replyTo), ASK).toCompletableFuture())
          .toList();
      for (CompletableFuture<UsageAck> ack : acks) {
        ack.get(15, TimeUnit.SECONDS);
      }

      List<UsageRecord> journaled = node.journal().usage("poisoned");
      assertEquals(List.of("req-0", "req-1", "req-2", "req-3"), journaled.stream().map(UsageRecord::requestId).sorted().toList());
      UsageRecord safe = journaled.stream().filter(r -> r.requestId().equals("req-1")).findFirst().orElseThrow();
      assertEquals("gpt-4o-mini\uFFFD", safe.model());
      assertEquals(new Attribution("agent\uFFFD", null, null, null, "u\uFFFD", Map.of("t\uFFFD", "v\uFFFD")), safe.attribution());
      assertEquals(100_000, safe.costNanos(), "its numbers are kept as they were");

      QuotaView quota = org.<QuotaView>ask(OrgCommand.GetQuota::new, ASK).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(4, quota.month().requests());
      assertEquals(400_000, quota.month().costNanos());
      assertInstanceOf(Admission.Admitted.class, org.<Admission>ask(replyTo -> new OrgCommand.Admit(
          new AdmitRequest("req-after", key.keyId(), hash, "gpt-4o-mini", 100, 1_000), replyTo), ASK)
          .toCompletableFuture().get(10, TimeUnit.SECONDS), "the org keeps serving");
      Eventually.await(Duration.ofSeconds(10), () -> assertTrue(ProxyClient.get(node.managementUrl() + "/metrics")
          .contains("tollgate_journal_rejected_events_total{node=\"local\"} 1.0"), "the refused event is counted"));
    }
  }
}
