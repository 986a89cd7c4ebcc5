package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/** A settlement retried, concurrently or after the org actor restarted, is counted once. */
class SettlementTest {
  private static final Duration ASK = Duration.ofSeconds(5);

  @Test
  void settlingTheSameRequestTwiceCountsOnceEvenAcrossARestart() throws Exception {
    DatabaseSettings db = TestDatabases.freshSchema();
    TestNode node = TestNode.start(TestNode.options(db, "http://127.0.0.1:9/v1", Clock.systemUTC()));
    node.admin().createOrg("twice", null);
    ClientKey key = ClientKey.parse(node.admin().issueKey("twice")).orElseThrow();
    String hash = new KeyHasher(TestNode.KEY_PEPPER).hash(key.secret());

    EntityRef<OrgCommand> org = node.sharding().entityRefFor(OrgEntity.TYPE_KEY, "twice");
    Admission.Admitted admitted = (Admission.Admitted) org.<Admission>ask(
        replyTo -> new OrgCommand.Admit(new AdmitRequest("req-1", key.keyId(), hash, "gpt-4o-mini", 100, 1_000), replyTo), ASK)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    UsageRecord record = new UsageRecord("req-1", admitted.reservation(), key.keyId(), admitted.admittedAtMillis(),
        admitted.admittedAtMillis() + 5, "openai", "gpt-4o-mini", 200, Outcome.COMPLETED, TokenUsage.of(40, 10), 777,
        "v", false, false, Attribution.NONE, "chat", null);

    List<CompletableFuture<UsageAck>> acks = IntStream.range(0, 5)
        .mapToObj(i -> org.<UsageAck>ask(replyTo -> new OrgCommand.Settle(record, replyTo), ASK).toCompletableFuture())
        .toList();
    for (CompletableFuture<UsageAck> ack : acks) {
      assertEquals(admitted.reservation(), ack.get(10, TimeUnit.SECONDS).reservation(), "every attempt is acknowledged");
    }
    assertCountedOnce(node, org);
    node.close();

    TestNode restarted = TestNode.start(TestNode.options(db, "http://127.0.0.1:9/v1", Clock.systemUTC()));
    try {
      EntityRef<OrgCommand> again = restarted.sharding().entityRefFor(OrgEntity.TYPE_KEY, "twice");
      again.<UsageAck>ask(replyTo -> new OrgCommand.Settle(record, replyTo), ASK).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertCountedOnce(restarted, again);
    } finally {
      restarted.close();
    }
  }

  private static void assertCountedOnce(TestNode node, EntityRef<OrgCommand> org) throws Exception {
    QuotaView quota = org.<QuotaView>ask(OrgCommand.GetQuota::new, ASK).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, quota.month().requests());
    assertEquals(40, quota.month().inputTokens());
    assertEquals(777, quota.month().costNanos());
    assertEquals(0, quota.inFlight());
    assertEquals(1, node.journal().usage("twice").size());
  }
}
