package io.tollgate.node.admin;

import io.tollgate.node.org.PlanCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Limits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An org's creation and the changes of its settings that take more than one actor: its own (time zone,
 * budget enforcement) and its plan, held by the plans' actor. Each step waits for the one before; a refusal
 * ends the chain and is the answer.
 */
final class OrgChanges {
  private final OrgAdmin admin;
  private final PlanAdmin plans;

  OrgChanges(OrgAdmin admin, PlanAdmin plans) {
    this.admin = admin;
    this.plans = plans;
  }

  /** Creates the org; on an unknown plan, creates nothing. {@code plan} and {@code stopStreams} may be null. */
  CompletionStage<AdminReply> create(String id, String name, Limits limits, String zone, String plan, Boolean stopStreams) {
    CompletionStage<AdminReply> created = plan == null ? admin.createOrg(id, name, limits, zone)
        : plans.list().thenCompose(known -> ((PlanCommand.Plans) known).limits().containsKey(plan)
            ? then(admin.createOrg(id, name, limits, zone), () -> assign(id, plan))
            : done(noPlan(plan)));
    return stopStreams == null ? created : then(created, () -> admin.setBudgetEnforcement(id, stopStreams));
  }

  /**
   * Changes what was sent: the time zone, the plan (null: off every plan), the budget enforcement, the invoices'
   * markup (null: none).
   */
  CompletionStage<AdminReply> update(String id, boolean zoneSent, String zone, boolean planSent, String plan,
      Boolean stopStreams, boolean markupSent, Long markupPpm) {
    CompletionStage<AdminReply> step = admin.describe(id);
    if (zoneSent) {
      step = then(step, () -> admin.setTimeZone(id, zone));
    }
    if (planSent) {
      step = then(step, () -> assign(id, plan));
    }
    if (stopStreams != null) {
      step = then(step, () -> admin.setBudgetEnforcement(id, stopStreams));
    }
    if (markupSent) {
      step = then(step, () -> admin.setMarkup(id, markupPpm));
    }
    return step;
  }

  /** Puts the org on the plan and answers with the org as it is then. */
  private CompletionStage<AdminReply> assign(String orgId, String plan) {
    return plans.assign(orgId, plan).thenCompose(reply -> {
      if (reply instanceof PlanCommand.NoSuchPlan) {
        return done(noPlan(plan));
      }
      String failure = ((PlanCommand.Assigned) reply).failure();
      return failure == null ? admin.describe(orgId) : done(new AdminReply.Rejected(AdminReply.Problem.UNAVAILABLE, failure));
    });
  }

  private static AdminReply noPlan(String plan) {
    return new AdminReply.Rejected(AdminReply.Problem.INVALID, "There is no plan '" + plan + "'; create it with PUT"
        + " /admin/plans/" + plan + ".");
  }

  private static CompletionStage<AdminReply> then(CompletionStage<AdminReply> before,
      Supplier<CompletionStage<AdminReply>> next) {
    return before.thenCompose(r -> r instanceof AdminReply.Rejected ? done(r) : next.get());
  }

  private static CompletionStage<AdminReply> done(AdminReply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
