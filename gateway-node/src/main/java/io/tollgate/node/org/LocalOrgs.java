package io.tollgate.node.org;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The org actors running on this node, so a request for one of them goes to it straight, not through the
 * shard region and the shard (two mailboxes and two thread hand-offs each way). An org is listed only while
 * it takes requests: from its recovery until it is told to stop; a message that still reaches it after
 * that is passed back through sharding, which holds it for the org's next incarnation.
 */
public final class LocalOrgs {
  private final Map<String, ActorRef<OrgCommand>> running = new ConcurrentHashMap<>();

  /** The org's actor if it runs on this node and takes requests; else null (go through sharding). */
  public ActorRef<OrgCommand> get(String orgId) {
    return running.get(orgId);
  }

  void started(String orgId, ActorRef<OrgCommand> org) {
    running.put(orgId, org);
  }

  /** Removes the org only if it is still this incarnation (a newer one may have registered since). */
  void stopping(String orgId, ActorRef<OrgCommand> org) {
    running.remove(orgId, org);
  }
}
