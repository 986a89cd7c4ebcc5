package io.tollgate.node.request;

import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.request.RequestActor.JournalWaitOver;
import io.tollgate.node.request.RequestActor.RetrySettle;
import io.tollgate.node.request.RequestActor.SettleTimedOut;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The last phase of a metered request: its usage record is handed to the org, again with backoff until the org
 * acknowledges it as journaled, or the retry horizon passes. Counted in {@link InFlightRequests} while it lasts.
 */
final class Settling extends Phase {
  private final UsageRecord record;
  private final Metering.Metered metered;
  private long startNanos;
  private int attempts;

  Settling(RequestActor request, Admitted grant, UsageRecord record, Metering.Metered metered) {
    super(request, grant);
    this.record = record;
    this.metered = metered;
  }

  @Override
  Behavior<Object> start() {
    request.deps.inFlight().settlingStarted(); // first, so that a failure below still ends it at the stop
    startNanos = System.nanoTime();
    attempt();
    request.report(record, metered);
    return this;
  }

  @Override
  Behavior<Object> on(Object msg) {
    if (msg instanceof UsageAck) {
      return Behaviors.stopped(); // a held answer goes out at the stop
    } else if (msg == SettleTimedOut.INSTANCE) {
      return timedOut();
    } else if (msg == RetrySettle.INSTANCE) {
      attempt();
      return this;
    } else if (msg == JournalWaitOver.INSTANCE) {
      request.releaseAnswer(); // the journal is slow: the answer goes out; its usage keeps being retried as ever
      return this;
    }
    return late(msg);
  }

  @Override
  void stopped() {
    request.deps.inFlight().settlingEnded();
  }

  private void attempt() {
    attempts++;
    request.tellOrg(new OrgCommand.Settle(record, request.self()), attempts > 1);
    request.await(SettleTimedOut.INSTANCE, request.deps.settings().settle().attemptTimeout());
  }

  /** No ack in time: the org may be moving or its journal slow; retry with backoff, bounded by the horizon. */
  private Behavior<Object> timedOut() {
    if (System.nanoTime() - startNanos > request.deps.settings().settle().retryHorizon().toNanos()) {
      request.deps.metrics().usageUnsettled();
      RequestActor.log.atError().addKeyValue("request_id", record.requestId())
          .addKeyValue("org", request.call.key().orgId()).addKeyValue("record", record)
          .log("usage could not be journaled within the retry horizon; recorded here only");
      return Behaviors.stopped();
    }
    long backoffMs = Math.min(10_000, 200L << Math.min(attempts, 6));
    request.await(RetrySettle.INSTANCE, Duration.ofMillis(backoffMs));
    return this;
  }
}
