package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LocalOrgsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anIncarnationThatStopsLateDoesNotUnlistItsSuccessor() {
    LocalOrgs orgs = new LocalOrgs();
    ActorRef<OrgCommand> old = testKit.<OrgCommand>createTestProbe().ref();
    ActorRef<OrgCommand> next = testKit.<OrgCommand>createTestProbe().ref();
    orgs.started("acme", old);
    assertEquals(old, orgs.get("acme"));
    orgs.started("acme", next);
    orgs.stopping("acme", old);
    assertEquals(next, orgs.get("acme"), "the newer incarnation stays listed");
    orgs.stopping("acme", next);
    assertNull(orgs.get("acme"), "an org told to stop takes no more requests straight");
  }
}
