package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.QuotaView;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/**
 * What a requester that asks again relies on: an ask it stopped waiting for gets no answer (a late denial
 * would reach it before the answer to its newer ask), and its newer ask gets the hold it already has.
 */
class RepeatedAskTest {
  private static final Duration ASK = Duration.ofSeconds(5);

  @Test
  void aStaleAskIsLeftUnansweredAndARepeatedOneGetsTheSameHold() throws Exception {
    try (TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), "http://127.0.0.1:9/v1",
        Clock.systemUTC()))) {
      node.admin().createOrg("again", "{\"requests_per_minute\": 10}");
      ClientKey key = ClientKey.parse(node.admin().issueKey("again")).orElseThrow();
      String hash = new KeyHasher(TestNode.KEY_PEPPER).hash(key.secret());
      EntityRef<OrgCommand> org = node.sharding().entityRefFor(OrgEntity.TYPE_KEY, "again");
      long now = System.currentTimeMillis();

      AdmitRequest stale = new AdmitRequest("req-stale", key.keyId(), hash, "gpt-4o-mini", 10, 100,
          new HoldBasis("gpt-4o-mini", 1, 1), now - 1);
      ExecutionException unanswered = assertThrows(ExecutionException.class, () -> org.<Admission>ask(
          replyTo -> new OrgCommand.Admit(stale, replyTo), Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertInstanceOf(TimeoutException.class, unanswered.getCause());

      AdmitRequest first = new AdmitRequest("req-1", key.keyId(), hash, "gpt-4o-mini", 10, 100,
          new HoldBasis("gpt-4o-mini", 1, 1), now + 5_000);
      Admitted admitted = (Admitted) admit(org, first);
      Admitted again = (Admitted) admit(org, first.again(System.currentTimeMillis() + 5_000));
      assertEquals(admitted.reservation(), again.reservation());

      QuotaView quota = org.<QuotaView>ask(OrgCommand.GetQuota::new, ASK).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(1, quota.inFlight(), "one hold, for the request asked twice; none for the stale ask");
      assertEquals(1, quota.requestsThisMinute());
    }
  }

  private static Admission admit(EntityRef<OrgCommand> org, AdmitRequest request) throws Exception {
    return org.<Admission>ask(replyTo -> new OrgCommand.Admit(request, replyTo), ASK).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
