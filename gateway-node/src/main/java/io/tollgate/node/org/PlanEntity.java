package io.tollgate.node.org;

import io.tollgate.node.org.PlanCommand.AssignPlan;
import io.tollgate.node.org.PlanCommand.Delivered;
import io.tollgate.node.org.PlanCommand.ListPlans;
import io.tollgate.node.org.PlanCommand.PlanReply;
import io.tollgate.node.org.PlanCommand.Redeliver;
import io.tollgate.node.org.PlanCommand.SetPlan;
import io.tollgate.node.org.PlanCommand.Wake;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.PlanBook;
import io.tollgate.protocol.org.PlanEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The plans of the cluster: one sharded, event-sourced actor. It journals every plan and which org is on
 * which, and tells each org concerned of a change through the org's own actor, which journals the plan's
 * limits in its book: admission never looks further than the org. A change is answered once the orgs on
 * the plan applied it (or the wait ran out); what an org missed is delivered again, until it has it.
 */
public final class PlanEntity extends EventSourcedBehavior<PlanCommand, PlanEvent, PlanBook> {
  public static final EntityTypeKey<PlanCommand> TYPE_KEY = EntityTypeKey.create(PlanCommand.class, "Plans");
  public static final String ENTITY_ID = "all";
  static final Duration REDELIVER_AFTER = Duration.ofSeconds(5);

  private final ActorContext<PlanCommand> ctx;
  private final TimerScheduler<PlanCommand> timers;
  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Clock clock;

  private PlanEntity(ActorContext<PlanCommand> ctx, TimerScheduler<PlanCommand> timers, ClusterSharding sharding,
      Duration timeout, Clock clock) {
    super(PersistenceId.ofUniqueId("plans"));
    this.ctx = ctx;
    this.timers = timers;
    this.sharding = sharding;
    this.timeout = timeout;
    this.clock = clock;
  }

  public static void initSharding(ActorSystem<?> system, Duration timeout, Clock clock) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(TYPE_KEY, entity -> Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new PlanEntity(ctx, timers, sharding, timeout, clock)))));
    sharding.entityRefFor(TYPE_KEY, ENTITY_ID).tell(new Wake());
  }

  @Override
  public PlanBook emptyState() {
    return PlanBook.EMPTY;
  }

  @Override
  public CommandHandler<PlanCommand, PlanEvent, PlanBook> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(ListPlans.class, (book, list) -> Effect().reply(list.replyTo(),
            new PlanCommand.Plans(book.plans(), book.memberCounts())))
        .onCommand(SetPlan.class, (book, set) -> Effect()
            .persist(new PlanEvent.PlanSet(set.plan(), set.limits(), clock.millis()))
            .thenRun(after -> deliver(book.seq(), after, after.membersOf(set.plan())).thenAccept(applied ->
                set.replyTo().tell(new PlanCommand.PlanChanged(set.plan(), set.limits(),
                    after.membersOf(set.plan()).size(), applied)))))
        .onCommand(AssignPlan.class, (book, assign) -> assign(book, assign))
        .onCommand(Delivered.class, (book, done) -> book.delivered() >= done.after() && done.seq() > book.delivered()
            ? Effect().persist(new PlanEvent.PlansDelivered(done.seq())) : Effect().none())
        .onCommand(Redeliver.class, (book, again) -> {
          deliver(book.delivered(), book, book.concerned());
          return Effect().none();
        })
        .onCommand(Wake.class, (book, wake) -> Effect().none())
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<PlanEvent, PlanBook> assign(PlanBook book, AssignPlan assign) {
    if (assign.plan() != null && book.limits(assign.plan()) == null) {
      return Effect().reply(assign.replyTo(), new PlanCommand.NoSuchPlan(assign.plan()));
    }
    return Effect().persist(new PlanEvent.OrgPlanChanged(assign.orgId(), assign.plan(), clock.millis()))
        .thenRun(after -> apply(assign.orgId(), after)
            .whenComplete((reply, failure) -> {
              if (failure == null) {
                ctx.getSelf().tell(new Delivered(after.seq(), book.seq()));
              } else {
                timers.startSingleTimer(new Redeliver(), REDELIVER_AFTER);
              }
              assign.replyTo().tell(new PlanCommand.Assigned(assign.orgId(), failure == null ? null
                  : "Org '" + assign.orgId() + "' did not answer in time; it will be put on the plan when it does."));
            }));
  }

  /** Tells these orgs their plan as {@code book} has it; completes with how many applied it. */
  private CompletionStage<Integer> deliver(long after, PlanBook book, List<String> orgs) {
    List<CompletableFuture<Boolean>> each = orgs.stream()
        .map(org -> apply(org, book).handle((reply, failure) -> failure == null).toCompletableFuture()).toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
      int applied = (int) each.stream().filter(CompletableFuture::join).count();
      if (applied == orgs.size()) {
        ctx.getSelf().tell(new Delivered(book.seq(), after));
      } else {
        timers.startSingleTimer(new Redeliver(), REDELIVER_AFTER);
      }
      return applied;
    });
  }

  private CompletionStage<AdminReply> apply(String orgId, PlanBook book) {
    EntityRef<OrgCommand> org = sharding.entityRefFor(OrgEntity.TYPE_KEY, orgId);
    AdminCommand command = new AdminCommand.ApplyPlan(book.planOf(orgId));
    return org.ask((ActorRef<AdminReply> replyTo) -> new OrgCommand.Administer(command, replyTo), timeout);
  }

  @Override
  public EventHandler<PlanBook, PlanEvent> eventHandler() {
    return PlanBook::apply;
  }

  @Override
  public SignalHandler<PlanBook> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), book -> {
          if (book.delivered() < book.seq()) { // a change some org may not have had: tell them all again
            ctx.getSelf().tell(new Redeliver());
          }
        })
        .build();
  }
}
