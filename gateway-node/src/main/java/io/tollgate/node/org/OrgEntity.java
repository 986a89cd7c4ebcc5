package io.tollgate.node.org;

import io.tollgate.node.metrics.Metrics;
import io.tollgate.node.org.OrgAccount.AdminDecision;
import io.tollgate.node.org.OrgAccount.Write;
import io.tollgate.node.org.OrgCommand.Administer;
import io.tollgate.node.org.OrgCommand.Admit;
import io.tollgate.node.org.OrgCommand.Flush;
import io.tollgate.node.org.OrgCommand.LedgerRecovered;
import io.tollgate.node.org.OrgCommand.LedgerWritten;
import io.tollgate.node.org.OrgCommand.Settle;
import io.tollgate.node.org.OrgCommand.Stop;
import io.tollgate.node.org.OrgCommand.Sweep;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageAck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.EventRejectedException;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The one actor per org in the whole cluster (sharded). It answers admissions and quota reads from memory
 * through its {@link OrgAccount} and hands batches to its child {@link OrgLedger}, one write in flight;
 * settlements are acknowledged when the write holding them is durable.
 */
public final class OrgEntity {
  public static final EntityTypeKey<OrgCommand> TYPE_KEY = EntityTypeKey.create(OrgCommand.class, "Org");
  private static final String JOURNAL_BEHIND = "The gateway's journal is behind; please retry shortly.";

  private OrgEntity() {}

  public static void initSharding(ActorSystem<?> system, OrgSettings settings, Clock clock, Metrics metrics,
      LocalOrgs localOrgs, ModelRates rates) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, clock, metrics, localOrgs, rates))
        .withStopMessage(Stop.INSTANCE));
  }

  public static Behavior<OrgCommand> create(String orgId, ActorRef<ClusterSharding.ShardCommand> shard, OrgSettings settings,
      Clock clock, Metrics metrics, LocalOrgs localOrgs, ModelRates rates) {
    Behavior<OrgCommand> org = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(
        settings.stashCapacity(),
        stash -> recovering(new Shell(orgId, shard, settings, clock, metrics, localOrgs, rates, ctx, timers, stash)))));
    // A ledger that fails (journal down) takes its org down with it; come back with backoff, re-read the journal.
    return Behaviors.supervise(org).onFailure(
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }

  private static Behavior<OrgCommand> recovering(Shell shell) {
    return Behaviors.receive(OrgCommand.class)
        .onMessage(LedgerRecovered.class, shell::start)
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .onMessage(Admit.class, admit -> shell.stashOrRefuse(admit))
        .onMessage(OrgCommand.class, shell::stash)
        .onSignal(Terminated.class, shell::ledgerStopped)
        .build();
  }

  /** The mutable part of the entity: its account, the write in flight, and who waits for what. */
  private static final class Shell {
    private final String orgId;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final OrgSettings settings;
    private final Clock clock;
    private final Metrics metrics;
    private final LocalOrgs localOrgs;
    private final ModelRates rates;
    private final ActorContext<OrgCommand> ctx;
    private final TimerScheduler<OrgCommand> timers;
    private final StashBuffer<OrgCommand> stash;
    private final LedgerWrites writes;

    private OrgAccount account;
    /** Admissions waiting for the journal to take the records already waiting (back-pressure, not a 503). */
    private final ArrayDeque<Admit> waitingForJournal = new ArrayDeque<>();
    private Administer adminInFlight;
    private final ArrayDeque<Administer> adminQueue = new ArrayDeque<>();
    private boolean stopping;
    /** When the last command came, for passivation: sharding cannot tell, as most come straight (LocalOrgs). */
    private long lastCommandNanos = System.nanoTime();

    Shell(String orgId, ActorRef<ClusterSharding.ShardCommand> shard, OrgSettings settings, Clock clock, Metrics metrics,
        LocalOrgs localOrgs, ModelRates rates, ActorContext<OrgCommand> ctx, TimerScheduler<OrgCommand> timers,
        StashBuffer<OrgCommand> stash) {
      this.orgId = orgId;
      this.shard = shard;
      this.settings = settings;
      this.clock = clock;
      this.metrics = metrics;
      this.localOrgs = localOrgs;
      this.rates = rates;
      this.ctx = ctx;
      this.timers = timers;
      this.stash = stash;
      // A write the journal refuses (an event it cannot serialize) restarts the ledger, which re-reads the
      // journal and tells this org: see ledgerRestarted. Any other failure stops it (ledgerStopped).
      ActorRef<OrgLedger.Write> ledger = ctx.spawn(Behaviors.supervise(OrgLedger.create(orgId, ctx.getSelf(), settings))
          .onFailure(EventRejectedException.class, SupervisorStrategy.restart()), "ledger");
      ctx.watch(ledger);
      this.writes = new LedgerWrites(orgId, ledger, ctx, metrics);
    }

    Behavior<OrgCommand> start(LedgerRecovered recovered) {
      long incarnation = ThreadLocalRandom.current().nextLong();
      account = new OrgAccount(orgId, incarnation, recovered.book(), settings, clock.millis(), rates);
      // Often enough to passivate within a quarter of passivate-after of it falling due.
      Duration quarter = settings.passivateAfter().dividedBy(4);
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, quarter.compareTo(settings.sweepInterval()) < 0 ? quarter
          : settings.sweepInterval());
      localOrgs.started(orgId, ctx.getSelf());
      return stash.unstashAll(active());
    }

    Behavior<OrgCommand> stash(OrgCommand command) {
      if (!stash.isFull()) {
        stash.stash(command);
      } // else dropped: the sender's ask times out and it retries or answers 503
      return Behaviors.same();
    }

    Behavior<OrgCommand> stashOrRefuse(Admit admit) {
      if (stash.isFull()) {
        admit.replyTo().tell(overloaded("The org is busy recovering; retry shortly."));
        return Behaviors.same();
      }
      return stash(admit);
    }

    private Behavior<OrgCommand> active() {
      return Behaviors.receive(OrgCommand.class)
          .onMessage(Admit.class, this::admit)
          .onMessage(Settle.class, this::settle)
          .onMessage(OrgCommand.Read.class, read -> {
            lastCommandNanos = System.nanoTime();
            read.answer(account, clock.millis());
            return Behaviors.same();
          })
          .onMessage(OrgCommand.Authenticate.class, authenticate -> {
            lastCommandNanos = System.nanoTime();
            Admission answer = account.authenticate(authenticate.request(), clock.millis());
            authenticate.replyTo().tell(answer);
            if (answer instanceof Admission.Denied) {
              requestFlush();
            }
            return Behaviors.same();
          })
          .onMessage(OrgCommand.Withdraw.class, withdraw -> {
            lastCommandNanos = System.nanoTime();
            String requestId = withdraw.requestId();
            if (!waitingForJournal.removeIf(a -> a.request().requestId().equals(requestId))) {
              account.withdraw(requestId);
            }
            return Behaviors.same();
          })
          .onMessage(OrgCommand.Abandon.class, abandon -> {
            lastCommandNanos = System.nanoTime();
            if (account.abandon(abandon.requestId())) {
              requestFlush();
            }
            return Behaviors.same();
          })
          .onMessage(Administer.class, this::administer)
          .onMessage(LedgerWritten.class, this::written)
          .onMessage(Flush.class, flush -> {
            flush();
            return Behaviors.same();
          })
          .onMessage(Sweep.class, sweep -> {
            long now = clock.millis();
            if (account.expireHolds(now) > 0 | account.closeMinutes(now)) {
              requestFlush();
            }
            passivateIfIdle();
            return Behaviors.same();
          })
          .onMessage(Stop.class, stop -> stopWhenFlushed())
          .onMessage(LedgerRecovered.class, this::ledgerRestarted)
          .onSignal(Terminated.class, this::ledgerStopped)
          .build();
    }

    private Behavior<OrgCommand> admit(Admit admit) {
      lastCommandNanos = System.nanoTime();
      if (stopping) {
        toNextIncarnation(admit); // sent straight to this actor as it was told to stop
        return Behaviors.same();
      }
      if (admit.request().repeated()) {
        // Asked again: the earlier ask, if it still waits here, is answered by this one (its deadline passed).
        String requestId = admit.request().requestId();
        waitingForJournal.removeIf(waiting -> waiting.request().requestId().equals(requestId));
      }
      if (account.journalOverdue()) {
        refuseWaiting(JOURNAL_BEHIND);
      } else if (account.journalBehind() || !waitingForJournal.isEmpty()) {
        if (waitingForJournal.size() < settings.stashCapacity()) {
          waitingForJournal.add(admit); // answered when a write completes, in arrival order
          return Behaviors.same();
        }
        admit.replyTo().tell(overloaded(JOURNAL_BEHIND));
        return Behaviors.same();
      }
      return decide(admit);
    }

    /** Sharding holds it while this org stops or moves, and hands it to the org's next incarnation. */
    private void toNextIncarnation(Admit admit) {
      ClusterSharding.get(ctx.getSystem()).entityRefFor(TYPE_KEY, orgId).tell(admit);
    }

    /**
     * Asks sharding to stop this org once it has had no command for passivate-after and holds nothing: an
     * org stopped with requests in flight would forget what they hold against its budget.
     */
    private void passivateIfIdle() {
      boolean idle = System.nanoTime() - lastCommandNanos >= settings.passivateAfter().toNanos();
      if (idle && !stopping && !account.holdsAny() && !writes.inFlight() && !account.hasUnjournaled()) {
        shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
      }
    }

    private void refuseWaiting(String why) {
      waitingForJournal.forEach(admit -> admit.replyTo().tell(overloaded(why)));
      waitingForJournal.clear();
    }

    private static Admission overloaded(String why) {
      return new Admission.Denied(DenialReason.OVERLOADED, why, 1, null);
    }

    private Behavior<OrgCommand> decide(Admit admit) {
      if (OrgAccount.stale(admit.request(), clock.millis())) {
        // Delivered late (buffered while the org moved, or waiting for the journal): the requester has asked
        // again or given up. A denial here would reach it before the answer to its newer ask.
        return Behaviors.same();
      }
      Admission answer = account.admit(admit.request(), clock.millis());
      admit.replyTo().tell(answer);
      if (answer instanceof Admission.Denied) {
        requestFlush();
      }
      return Behaviors.same();
    }

    private Behavior<OrgCommand> settle(Settle settle) {
      lastCommandNanos = System.nanoTime();
      ReservationId id = settle.record().reservation();
      switch (account.settle(settle.record())) {
        case ALREADY_DURABLE -> settle.replyTo().tell(new UsageAck(id));
        case AWAITING_WRITE -> writes.awaitDurable(id, settle.replyTo());
        case ACCEPTED -> {
          writes.awaitDurable(id, settle.replyTo());
          requestFlush();
        }
      }
      return Behaviors.same();
    }

    private Behavior<OrgCommand> administer(Administer administer) {
      lastCommandNanos = System.nanoTime();
      if (adminInFlight != null) {
        adminQueue.add(administer); // one admin change at a time, each decided on the journaled book
        return Behaviors.same();
      }
      AdminDecision decision = account.decide(administer.command(), clock.millis());
      if (decision instanceof AdminDecision.Answer answer) {
        administer.replyTo().tell(answer.reply());
      } else {
        adminInFlight = administer;
        flush();
      }
      return Behaviors.same();
    }

    private Behavior<OrgCommand> written(LedgerWritten written) {
      account.written(written.book(), clock.millis());
      Write done = writes.completed();
      metrics.budgetUsed(orgId, account.quota(clock.millis()));
      if (done.includesAdmin()) {
        adminInFlight.replyTo().tell(account.answer(adminInFlight.command(), clock.millis()));
        adminInFlight = null;
        while (adminInFlight == null && !adminQueue.isEmpty()) {
          administer(adminQueue.poll());
        }
      }
      if (account.hasUnjournaled()) {
        flush(); // what arrived during the write goes out now, as one batch
      } else if (stopping) {
        return stopped();
      }
      while (!waitingForJournal.isEmpty() && !account.journalBehind()) {
        decide(waitingForJournal.poll());
      }
      return Behaviors.same();
    }

    /** Passivated or moved: its budget gauge goes with it (the node that takes it over publishes its own). */
    private Behavior<OrgCommand> stopped() {
      localOrgs.stopping(orgId, ctx.getSelf());
      return Behaviors.stopped(() -> metrics.forgetOrg(orgId));
    }

    private void requestFlush() {
      if (writes.inFlight()) {
        return; // flushed when the write in flight completes
      }
      if (account.unjournaledUsageCount() >= settings.maxBatch()) {
        flush();
      } else if (!timers.isTimerActive(Flush.INSTANCE)) {
        timers.startSingleTimer(Flush.INSTANCE, settings.flushDelay());
      }
    }

    private void flush() {
      if (writes.inFlight()) {
        return;
      }
      timers.cancel(Flush.INSTANCE);
      account.nextWrite(clock.millis()).ifPresent(writes::send);
    }

    private Behavior<OrgCommand> stopWhenFlushed() {
      localOrgs.stopping(orgId, ctx.getSelf());
      waitingForJournal.forEach(this::toNextIncarnation); // answered there, not refused here
      waitingForJournal.clear();
      if (!writes.inFlight() && !account.hasUnjournaled()) {
        return stopped();
      }
      stopping = true;
      flush();
      return Behaviors.same();
    }

    /** The ledger recovered again while active: the journal refused the write in flight, which goes again. */
    private Behavior<OrgCommand> ledgerRestarted(LedgerRecovered recovered) {
      if (writes.inFlight()) {
        writes.resendInSafeForm();
      }
      return Behaviors.same();
    }

    Behavior<OrgCommand> ledgerStopped(Terminated terminated) {
      localOrgs.stopping(orgId, ctx.getSelf());
      ctx.getLog().atError().addKeyValue("org", orgId).addKeyValue("pending", writes.waiting())
          .log("org journal stopped (journal unavailable?); restarting the org from its journal");
      throw new IllegalStateException("ledger of org " + orgId + " stopped");
    }
  }
}
