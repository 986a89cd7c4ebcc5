package io.tollgate.node.request;

import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.tracing.RequestSpan;
import io.tollgate.node.tracing.Tracing;
import io.tollgate.persistence.idempotency.IdempotencyStore;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UpstreamAttempt;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request, from admission to settled usage, in four phases: {@link Admitting} asks the org to admit
 * it, {@link Calling} calls the upstream and answers a whole answer, {@link Streaming} passes a stream on byte for
 * byte, and {@link Settling} hands the usage to the org until it is acknowledged. It lives until the usage is
 * journaled, not just until the answer. What it costs is {@link Metering}'s job, the call itself
 * {@link UpstreamExchange}'s; this class holds what the phases share and how any of them ends.
 */
public final class RequestActor {
  static final Logger log = LoggerFactory.getLogger(RequestActor.class);

  /**
   * Its own messages. The org's replies ({@link Admission}, {@link UsageAck}) arrive as they are, which is why the
   * actor takes {@code Object}: no message adapter, and no wrapping, per request.
   */
  sealed interface Msg {}

  enum AdmissionTimedOut implements Msg { INSTANCE }

  record UpstreamResult(HttpResponse response, Throwable failure) implements Msg {}

  record BodyResult(HttpEntity.Strict body, Throwable failure) implements Msg {}

  enum StreamStarted implements Msg { INSTANCE }

  enum StreamStartTimedOut implements Msg { INSTANCE }

  record StreamEnded(UsageTap.End end, Throwable cause) implements Msg {}

  enum SettleTimedOut implements Msg { INSTANCE }

  enum RetrySettle implements Msg { INSTANCE }

  enum JournalWaitOver implements Msg { INSTANCE }

  /** The call as it is served: the client's, or another model's when a fallback or downgrade serves it. */
  ProxyCall call;
  final RequestDeps deps;
  final ActorContext<Object> ctx;
  /** The provider the client called: metrics of refusals and failures are its. */
  final String providerId;
  private final EntityRef<OrgCommand> org;
  /** The phase under way, which says what a failure releases and what the stop ends. */
  private Phase phase;
  /** The org was asked more than once, so it may have moved: from then on it is reached through sharding. */
  boolean askedAgain;
  /**
   * The wait under way (admission, stream start, settlement or its retry), scheduled directly rather than with a
   * TimerScheduler, whose interceptor every message would pass. A wait's message may still arrive after its
   * cancellation, so each phase checks that it still matters. A held answer's wait runs beside it.
   */
  private Cancellable pendingWait;
  private Cancellable journalWait;
  /** With answers-wait-for-journal: the answer, or the end of the stream, held until the usage is journaled. */
  private HttpResponse heldAnswer;
  CompletableFuture<Done> journaled;
  /**
   * With an Idempotency-Key or a response cache miss: the answer to keep for repeats, once the request succeeded;
   * null until then.
   */
  IdempotencyStore.Stored replayable;
  /** A response cache miss: where its answer is kept, and for how long; null otherwise. */
  byte[] cacheKey;
  Duration cacheTtl;
  /** The request's record, once made. */
  private UsageRecord record;
  /** Its trace span; null when tracing is off. */
  private final RequestSpan span;
  /** The tries of the call that did not serve it, for its record. */
  final List<UpstreamAttempt> attempts = new ArrayList<>(0);
  /** What the client was answered, and how long the upstream and the gateway itself took (-1: not known). */
  int clientStatus;
  long upstreamNanos = -1;
  long overheadNanos = -1;

  public static Behavior<Object> create(ProxyCall call, RequestDeps deps) {
    return Behaviors.setup(ctx -> {
      RequestActor request;
      try {
        request = new RequestActor(ctx, call, deps);
      } catch (RuntimeException e) { // no behavior, so no PostStop: give back here what the intake took
        log.atError().setCause(e).addKeyValue("request_id", call.requestId()).log("request actor could not start");
        call.responder().complete(internalError(call, deps.clock().millis()));
        if (call.idempotencyKey() != null) {
          deps.idempotency().release(call);
        }
        deps.inFlight().finished();
        return Behaviors.stopped();
      }
      return request.start();
    });
  }

  private RequestActor(ActorContext<Object> ctx, ProxyCall call, RequestDeps deps) {
    this.ctx = ctx;
    this.deps = deps;
    this.span = deps.tracing().enabled() ? span(call, deps.tracing()) : null;
    // The provider sees the trace: this request's span, or the caller's own when the gateway traces nothing.
    String traceparent = span != null ? span.traceparent() : call.options().traceparent();
    this.call = traceparent == null ? call : call.withForwardHeader("traceparent", traceparent);
    this.providerId = call.provider().id().id();
    this.org = deps.sharding().entityRefFor(OrgEntity.TYPE_KEY, call.key().orgId());
  }

  /** The intake took this request's place in InFlightRequests; the stop gives it back, however the actor ends. */
  private Behavior<Object> start() {
    try {
      return enter(new Admitting(this));
    } catch (RuntimeException e) {
      failed(e);
      stopped(); // stopped before it ever ran, so no PostStop comes
      return Behaviors.stopped();
    }
  }

  Behavior<Object> enter(Phase next) {
    phase = next;
    return next.start();
  }

  /**
   * Whatever threw, in whatever phase: the client gets an answer, the org its hold back (as the phase says), and
   * the node its slot, at the stop.
   */
  Behavior<Object> failed(RuntimeException e) {
    log.atError().setCause(e).addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
        .log("request failed inside the gateway");
    if (!call.responder().isDone() && heldAnswer == null) {
      clientStatus = 500;
      call.responder().complete(internalError(call, now()));
    }
    if (phase != null) {
      phase.release();
    }
    return Behaviors.stopped();
  }

  void stopped() {
    cancelWait(); // nothing is left to send to this actor once it is gone
    if (journalWait != null) {
      journalWait.cancel();
    }
    releaseAnswer();
    if (phase != null) {
      phase.stopped();
    }
    if (call.idempotencyKey() != null) {
      if (replayable != null) {
        deps.idempotency().store(call, replayable);
      } else {
        deps.idempotency().release(call);
      }
    }
    if (cacheKey != null && replayable != null && record != null && record.outcome() == Outcome.COMPLETED) {
      deps.cache().put(call, cacheKey, cacheTtl, replayable, record.model(), record.costNanos());
    }
    if (span != null) {
      span.ended(record, clientStatus);
    }
    deps.inFlight().finished();
  }

  private static HttpResponse internalError(ProxyCall call, long now) {
    return GatewayResponses.error(call.provider().errors(), GatewayError.of(ErrorKind.INTERNAL,
        "The gateway failed to handle this request."), call.requestId(), 0, null, now);
  }

  /**
   * A first try goes straight to the org if it runs on this node (no shard region or shard between); a retry goes
   * through sharding, which finds the org wherever it is or moves to.
   */
  void tellOrg(OrgCommand command, boolean retry) {
    ActorRef<OrgCommand> local = retry ? null : deps.localOrgs().get(call.key().orgId());
    if (local != null) {
      local.tell(command);
    } else {
      org.tell(command);
    }
  }

  /** Through sharding, for what follows a retry or a timeout. */
  void tellOrgAnywhere(OrgCommand command) {
    org.tell(command);
  }

  <T> ActorRef<T> self() {
    return ctx.getSelf().narrow();
  }

  /** The request's span, from its arrival, with what is known of it then. */
  private static RequestSpan span(ProxyCall call, Tracing tracing) {
    long arrivedEpochNanos = System.currentTimeMillis() * 1_000_000 - (System.nanoTime() - call.receivedNanos());
    String operation = RequestSpan.operation(call.endpoint().api());
    RequestSpan span = tracing.start(operation, call.facts().model(), call.options().traceparent(), arrivedEpochNanos);
    span.asked(call.provider().id().id(), operation, call.facts().model(), call.facts().maxOutputTokens(),
        call.requestId(), call.key().orgId(), call.key().keyId());
    return span;
  }

  /** Starts a wait in place of the one under way. */
  void await(Msg over, Duration after) {
    cancelWait();
    pendingWait = ctx.scheduleOnce(after, ctx.getSelf(), over);
  }

  void cancelWait() {
    if (pendingWait != null) {
      pendingWait.cancel();
      pendingWait = null;
    }
  }

  /** A metered answer waits for its usage to be journaled only if the node is told so. */
  boolean waitsForJournal(Admitted grant) {
    return grant != null && deps.settings().requests().answersWaitForJournal();
  }

  /** Ready but held until the usage is journaled, or admission-timeout at most: a slow journal delays, never loses, it. */
  void hold(HttpResponse answer, int status) {
    answered(status);
    heldAnswer = answer;
    awaitJournal();
  }

  void awaitJournal() {
    journalWait = ctx.scheduleOnce(deps.settings().admission().timeout(), ctx.getSelf(), JournalWaitOver.INSTANCE);
  }

  void releaseAnswer() {
    if (heldAnswer != null) {
      call.responder().complete(heldAnswer);
      heldAnswer = null;
    }
    if (journaled != null) {
      journaled.complete(Done.getInstance());
    }
  }

  void respond(HttpResponse response, int status) {
    answered(status);
    call.responder().complete(response);
  }

  /** The answer is ready: its status and the gateway's own time so far go into the record and metrics. */
  private void answered(int status) {
    clientStatus = status;
    overheadNanos = upstreamNanos < 0 ? -1 : System.nanoTime() - call.receivedNanos() - upstreamNanos;
  }

  /** True when the request's answer is to be kept: for its Idempotency-Key, or the response cache. */
  boolean keepsAnswer() {
    return call.idempotencyKey() != null || cacheKey != null;
  }

  /** The most of an answer kept, for either. */
  long keptAnswerMaxBytes() {
    return Math.max(deps.idempotency().maxBytes(), deps.cache().maxBytes());
  }

  /** The request's metrics and access-log line, once its record is made. */
  void report(UsageRecord record, Metering.Metered metered) {
    this.record = record;
    String served = record.provider();
    String metricModel = deps.metering().pricer().metricModel(served, metered.model());
    deps.metrics().request(served, metricModel, clientStatus);
    deps.metrics().timings(served, System.nanoTime() - call.receivedNanos(), upstreamNanos, overheadNanos);
    if (record.reservation() != null) {
      deps.metrics().usage(served, metricModel, metered.tokens(), metered.priced().costNanos(),
          metered.priced().unpriced(), metered.estimated());
    }
    deps.accessLog().settled(call, record, upstreamNanos);
  }

  long now() {
    return deps.clock().millis();
  }
}
