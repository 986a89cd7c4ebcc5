package io.tollgate.node.request;

import io.tollgate.node.org.OrgCommand;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UsageAck;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A phase of the request: its own state, its own messages, and what the org gets back if the request fails in
 * it. Messages of an earlier phase that still arrive (a late timer, a repeated answer) are ignored.
 */
abstract class Phase extends ExtensibleBehavior<Object> {
  final RequestActor request;
  /** The org's hold on the request's cost; null until admitted, and for calls passed through unmetered. */
  final Admitted grant;

  Phase(RequestActor request, Admitted grant) {
    this.request = request;
    this.grant = grant;
  }

  /** Entering the phase: what it starts. */
  abstract Behavior<Object> start();

  abstract Behavior<Object> on(Object msg);

  /** What the org gets back if the request fails in this phase. */
  void release() {}

  /** The actor stopped in this phase. */
  void stopped() {}

  @Override
  public final Behavior<Object> receive(TypedActorContext<Object> ctx, Object msg) {
    try {
      return on(msg);
    } catch (RuntimeException e) {
      return request.failed(e);
    }
  }

  @Override
  public final Behavior<Object> receiveSignal(TypedActorContext<Object> ctx, Signal signal) {
    if (signal instanceof PostStop) {
      request.stopped();
    }
    return this;
  }

  /**
   * The answer to an earlier ask after a later one was sent. The same org answers with the same hold; a
   * different hold came from an org that moved meanwhile and must not stay held for nothing.
   */
  final Behavior<Object> late(Object msg) {
    if (msg instanceof Admitted again && grant != null && !again.reservation().equals(grant.reservation())) {
      request.tellOrgAnywhere(new OrgCommand.Withdraw(request.call.requestId()));
    } else if (!(msg instanceof RequestActor.Msg || msg instanceof Admission || msg instanceof UsageAck)) {
      RequestActor.log.atWarn().addKeyValue("request_id", request.call.requestId())
          .addKeyValue("message", msg.getClass().getName())
          .log("unexpected message to a request actor; ignored");
    }
    return this;
  }

  /** After the upstream was called: what it used is unknown, so the hold is abandoned and stays counted. */
  final void abandon() {
    if (grant != null) {
      request.tellOrg(new OrgCommand.Abandon(request.call.requestId()), request.askedAgain);
    }
  }

  /** The answer is out (or held): make the usage record and settle it with the org. */
  final Behavior<Object> finish(Outcome outcome, Metering.Metered metered) {
    request.deps.faults().at(RequestFaults.Stage.SETTLING, request.call);
    var record = request.deps.metering().record(request.call, grant, outcome, request.clientStatus, metered,
        request.upstreamNanos, request.attempts);
    if (grant == null) {
      request.report(record, metered); // passed through unmetered: nothing to settle
      return Behaviors.stopped();
    }
    return request.enter(new Settling(request, grant, record, metered));
  }
}
