package io.tollgate.node.admin;

import io.tollgate.node.org.PlanCommand;
import io.tollgate.node.org.PlanCommand.PlanReply;
import io.tollgate.node.org.PlanEntity;
import io.tollgate.node.stream.Stages;
import io.tollgate.protocol.org.Limits;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The admin API's plan operations, each one ask to the plans' actor wherever it lives in the cluster. */
public final class PlanAdmin {
  private final ClusterSharding sharding;
  private final Duration timeout;

  /** @param orgTimeout how long the plans' actor waits for each org; a change waits for them too */
  public PlanAdmin(ClusterSharding sharding, Duration orgTimeout) {
    this.sharding = sharding;
    this.timeout = orgTimeout.multipliedBy(2).plusSeconds(1);
  }

  public CompletionStage<PlanReply> set(String plan, Limits limits) {
    return Stages.direct(plans().ask(replyTo -> new PlanCommand.SetPlan(plan, limits, replyTo), timeout));
  }

  public CompletionStage<PlanReply> list() {
    return Stages.direct(plans().ask(PlanCommand.ListPlans::new, timeout));
  }

  /** Puts the org on the plan, or on none ({@code plan} null). */
  public CompletionStage<PlanReply> assign(String orgId, String plan) {
    return Stages.direct(plans().ask(replyTo -> new PlanCommand.AssignPlan(orgId, plan, replyTo), timeout));
  }

  private EntityRef<PlanCommand> plans() {
    return sharding.entityRefFor(PlanEntity.TYPE_KEY, PlanEntity.ENTITY_ID);
  }
}
