package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/**
 * An org actor stops after passivate-after without commands, and only then: requests that reach it
 * straight (not through sharding) keep it running, and so does a request still in flight, whose hold a
 * stopped org would forget. Which incarnation answered shows in the reservation ids it hands out.
 */
class OrgPassivationTest {
  private static final Duration ASK = Duration.ofSeconds(5);

  @Test
  void anOrgStopsWhenIdleButNotWhileRequestsComeStraightOrHoldQuota() throws Exception {
    try (UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults());
        TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(), Clock.systemUTC())
            .withExtra("tollgate.org.passivate-after = 2s\ntollgate.org.sweep-interval = 200ms"))) {
      node.admin().createOrg("idle", null);
      String key = node.admin().issueKey("idle");
      ClientKey parsed = ClientKey.parse(key).orElseThrow();
      String hash = new KeyHasher(TestNode.KEY_PEPPER).hash(parsed.secret());
      EntityRef<OrgCommand> org = node.sharding().entityRefFor(OrgEntity.TYPE_KEY, "idle");
      String url = node.baseUrl() + "/v1/chat/completions";

      long first = incarnation(org, parsed, hash, "probe-1");
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until) { // 2.5 times passivate-after, every request straight to the org
        ProxyClient.post(url, key, ProxyClient.chat("gpt-4o-mini", "hi", 4, false));
        Thread.sleep(250);
      }
      assertEquals(first, incarnation(org, parsed, hash, "probe-2"), "kept running by requests that bypass sharding");

      Admitted held = admit(org, parsed, hash, "in-flight"); // a request still in flight: not withdrawn
      Thread.sleep(3_000);
      assertEquals(held.reservation().incarnation(), incarnation(org, parsed, hash, "probe-3"),
          "not stopped while a request holds quota");

      org.tell(new OrgCommand.Withdraw("in-flight"));
      Thread.sleep(3_000); // idle for longer than passivate-after, with sweeps every 200 ms
      assertNotEquals(first, incarnation(org, parsed, hash, "probe-4"), "stopped once idle, then started afresh");
    }
  }

  /** The incarnation that admits a probe (withdrawn at once, so it holds nothing). */
  private static long incarnation(EntityRef<OrgCommand> org, ClientKey key, String hash, String requestId) throws Exception {
    Admitted admitted = admit(org, key, hash, requestId);
    org.tell(new OrgCommand.Withdraw(requestId));
    return admitted.reservation().incarnation();
  }

  private static Admitted admit(EntityRef<OrgCommand> org, ClientKey key, String hash, String requestId) throws Exception {
    return (Admitted) org.<Admission>ask(
        replyTo -> new OrgCommand.Admit(new AdmitRequest(requestId, key.keyId(), hash, "gpt-4o-mini", 10, 100), replyTo), ASK)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
