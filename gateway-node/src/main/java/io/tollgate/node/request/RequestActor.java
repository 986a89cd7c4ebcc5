package io.tollgate.node.request;

import io.tollgate.node.stream.Bodies;
import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.upstream.UpstreamClient;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.UsageAck;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.KeyPlacement;
import io.tollgate.protocol.provider.RequestFacts;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request, from admission to settled usage: asks the org to admit it, calls the upstream,
 * answers the client (streaming byte for byte, or whole with its cost), then settles the usage with the
 * org, retrying until acknowledged. It lives until the usage is journaled, not just until the answer.
 */
public final class RequestActor extends AbstractBehavior<Object> {
  private static final Logger accessLog = LoggerFactory.getLogger("tollgate.access");
  private static final Logger log = LoggerFactory.getLogger(RequestActor.class);
  private static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
  private static final long MAX_ERROR_BODY_BYTES = 1024 * 1024;
  private static final Duration STREAM_START_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Its own messages. The org's replies ({@link Admission}, {@link UsageAck}) arrive as they are, which is why
   * the actor takes {@code Object}: no message adapter, and no wrapping, per request.
   */
  private sealed interface Msg {}

  private enum AdmissionTimedOut implements Msg { INSTANCE }

  private record UpstreamResult(HttpResponse response, Throwable failure) implements Msg {}

  private record BodyResult(HttpEntity.Strict body, Throwable failure) implements Msg {}

  private enum StreamStarted implements Msg { INSTANCE }

  private enum StreamStartTimedOut implements Msg { INSTANCE }

  private record StreamEnded(UsageTap.End end, Throwable cause) implements Msg {}

  private enum SettleTimedOut implements Msg { INSTANCE }

  private enum RetrySettle implements Msg { INSTANCE }

  private enum JournalWaitOver implements Msg { INSTANCE }

  private final ProxyCall call;
  private final RequestDeps deps;
  private final EntityRef<OrgCommand> org;
  private final String providerId;
  /** This actor, as the org sees it: replies come straight here (no temporary actor per ask). */
  private final ActorRef<Admission> admissionReplies;
  private final ActorRef<UsageAck> ackReplies;
  /**
   * The wait under way (admission, stream start, settlement or its retry), scheduled directly rather than with
   * a TimerScheduler, whose interceptor every message of the actor would pass. A wait's message may still
   * arrive after its cancellation, so each handler checks that it still matters. A held answer's wait runs
   * beside it ({@link #journalWait}).
   */
  private Cancellable pendingWait;
  private Cancellable journalWait;
  private boolean streamStarted;

  /** The ask sent to the org, kept to ask again if the org does not answer; null before it is sent. */
  private OrgCommand askSent;
  private int asks;
  private boolean admissionAnswered;
  private Admitted admitted;
  /** The org's per-minute limits for response headers; null until admitted, and for unmetered calls. */
  private RateLimitStatus limits;
  private long upstreamStartNanos;
  private boolean upstreamCalled;
  private long upstreamNanos = -1;
  private long overheadNanos = -1;
  private int clientStatus;
  private HttpResponse pendingResponse;
  private StreamUsageReader streamReader;
  private UsageRecord record;
  /** With answers-wait-for-journal: the answer, or the end of the stream, held until the usage is journaled. */
  private HttpResponse heldAnswer;
  private CompletableFuture<Done> journaled;
  private long settleStartNanos;
  private int settleAttempts;

  public static Behavior<Object> create(ProxyCall call, RequestDeps deps) {
    return Behaviors.setup(ctx -> {
      RequestActor actor;
      try {
        actor = new RequestActor(ctx, call, deps);
      } catch (RuntimeException e) { // no behavior, so no PostStop: give back here what the intake took
        log.atError().setCause(e).addKeyValue("request_id", call.requestId()).log("request actor could not start");
        call.responder().complete(internalError(call, deps.clock().millis()));
        deps.inFlight().finished();
        return Behaviors.stopped();
      }
      return actor.start();
    });
  }

  private RequestActor(ActorContext<Object> ctx, ProxyCall call, RequestDeps deps) {
    super(ctx);
    this.call = call;
    this.deps = deps;
    this.providerId = call.provider().id().id();
    this.org = deps.sharding().entityRefFor(OrgEntity.TYPE_KEY, call.key().orgId());
    this.admissionReplies = ctx.getSelf().narrow();
    this.ackReplies = ctx.getSelf().narrow();
  }

  /** The intake took this request's place in InFlightRequests; PostStop gives it back, however the actor ends. */
  private Behavior<Object> start() {
    try {
      askAdmission();
      return this;
    } catch (RuntimeException e) {
      failed(e);
      onStop(); // stopped before it ever ran, so no PostStop comes
      return Behaviors.stopped();
    }
  }

  @Override
  public Receive<Object> createReceive() {
    // One case and a chain of instanceof rather than a case per message: this actor is made per request.
    return newReceiveBuilder().onAnyMessage(this::onMessageSafely).onSignal(PostStop.class, stop -> onStop()).build();
  }

  private Behavior<Object> onMessageSafely(Object msg) {
    try {
      return onMessage(msg);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  /**
   * Whatever threw, at whatever stage: the client gets an answer, the org its hold back (released if the
   * upstream was never called, else abandoned: what was used is unknown, so the hold stays counted), and
   * the node its slot, at the stop.
   */
  private Behavior<Object> failed(RuntimeException e) {
    log.atError().setCause(e).addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
        .log("request failed inside the gateway");
    if (!call.responder().isDone() && heldAnswer == null) {
      clientStatus = 500;
      call.responder().complete(internalError(call, now()));
    }
    if (record == null && askSent instanceof OrgCommand.Admit) {
      // The way the ask went, so the org takes this after it.
      tellOrg(upstreamCalled ? new OrgCommand.Abandon(call.requestId()) : new OrgCommand.Withdraw(call.requestId()), asks > 1);
    }
    return Behaviors.stopped();
  }

  private static HttpResponse internalError(ProxyCall call, long now) {
    return GatewayResponses.error(call.provider().errors(), GatewayError.of(ErrorKind.INTERNAL,
        "The gateway failed to handle this request."), call.requestId(), 0, null, now);
  }

  private Behavior<Object> onMessage(Object msg) {
    if (msg instanceof Admission admission) {
      return onAdmission(admission);
    } else if (msg instanceof UpstreamResult result) {
      return onUpstream(result);
    } else if (msg instanceof BodyResult body) {
      return onBody(body);
    } else if (msg instanceof UsageAck) {
      return Behaviors.stopped(); // a held answer goes out at the stop
    } else if (msg instanceof StreamEnded ended) {
      return onStreamEnded(ended);
    } else if (msg == StreamStarted.INSTANCE) {
      streamStarted = true; // its wait, if it still comes, is ignored; the end of the stream cancels it
      return this;
    } else if (msg == StreamStartTimedOut.INSTANCE) {
      return streamStarted ? this : onStreamEnded(new StreamEnded(UsageTap.End.CLIENT_CANCELLED, null));
    } else if (msg == AdmissionTimedOut.INSTANCE) {
      return admissionAnswered ? this : onAdmissionTimedOut();
    } else if (msg == SettleTimedOut.INSTANCE) {
      return onSettleTimedOut();
    } else if (msg == RetrySettle.INSTANCE) {
      return settleAttempt();
    } else if (msg == JournalWaitOver.INSTANCE) {
      releaseAnswer(); // the journal is slow: the answer goes out; its usage keeps being retried as ever
      return this;
    }
    log.atWarn().addKeyValue("request_id", call.requestId()).addKeyValue("message", msg.getClass().getName())
        .log("unexpected message to a request actor; ignored");
    return this;
  }

  private Behavior<Object> onStop() {
    cancelWait(); // nothing is left to send to this actor once it is gone
    if (journalWait != null) {
      journalWait.cancel();
    }
    releaseAnswer();
    if (settling()) {
      deps.inFlight().settlingEnded();
    }
    deps.inFlight().finished();
    return this;
  }

  // ---- admission ----

  private void askAdmission() {
    asks++;
    await(AdmissionTimedOut.INSTANCE, deps.settings().admissionTimeout());
    if (askSent == null) {
      askSent = firstAsk();
    } else if (askSent instanceof OrgCommand.Admit admit) {
      askSent = new OrgCommand.Admit(admit.request().again(now() + deps.settings().admissionTimeout().toMillis()),
          admissionReplies);
    }
    tellOrg(askSent, asks > 1);
  }

  /**
   * A first try goes straight to the org if it runs on this node (no shard region or shard between); a retry
   * goes through sharding, which finds the org wherever it is or moves to.
   */
  private void tellOrg(OrgCommand command, boolean retry) {
    ActorRef<OrgCommand> local = retry ? null : deps.localOrgs().get(call.key().orgId());
    if (local != null) {
      local.tell(command);
    } else {
      org.tell(command);
    }
  }

  private OrgCommand firstAsk() {
    deps.faults().at(RequestFaults.Stage.ADMITTING, call);
    if (!call.endpoint().metered()) {
      // Passed through without counting (token counting): only the key and model are checked.
      return new OrgCommand.Authenticate(new AdmitRequest(call.requestId(), call.key().keyId(), call.secretHash(),
          call.facts().model(), 0, 0), admissionReplies);
    }
    long promptBound = call.clientBody().length; // every token of a text prompt is at least one byte of it
    long maxOutput = call.facts().maxOutputTokens() != null ? call.facts().maxOutputTokens() : deps.settings().defaultMaxOutputTokens();
    long tokens = (promptBound + 3) / 4 + maxOutput;
    Pricer.Hold hold = deps.pricer().hold(providerId, call.facts().model(), promptBound, maxOutput);
    AdmitRequest request = new AdmitRequest(call.requestId(), call.key().keyId(), call.secretHash(), call.facts().model(),
        tokens, hold.costNanos(), hold.basis(), now() + deps.settings().admissionTimeout().toMillis());
    return new OrgCommand.Admit(request, admissionReplies);
  }

  /**
   * The org did not answer: its node may have died and not be downed yet, so ask again (the org answers a
   * repeated ask with the hold it already gave) until the retry horizon, and only then give up with a 503.
   */
  private Behavior<Object> onAdmissionTimedOut() {
    long waitedNanos = System.nanoTime() - call.receivedNanos();
    if (waitedNanos + deps.settings().admissionTimeout().toNanos() <= deps.settings().admissionRetryHorizon().toNanos()) {
      log.atDebug().addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
          .addKeyValue("asks", asks).log("org did not answer admission in time; asking again");
      askAdmission();
      return this;
    }
    log.atWarn().addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
        .addKeyValue("asks", asks).log("org did not answer admission in time");
    if (call.endpoint().metered()) {
      org.tell(new OrgCommand.Withdraw(call.requestId())); // its answer may still be on the way
    }
    return refuse(GatewayError.of(ErrorKind.UNAVAILABLE,
        "The gateway could not reach this organization's quota keeper in time. Please retry shortly."), 1, null, "unreachable");
  }

  private Behavior<Object> onAdmission(Admission admission) {
    if (admissionAnswered) {
      // The answer to an earlier ask after a later one was sent. The same org answers with the same hold; a
      // different hold came from an org that moved meanwhile and must not stay held for nothing.
      if (admission instanceof Admitted again && admitted != null && !again.reservation().equals(admitted.reservation())) {
        org.tell(new OrgCommand.Withdraw(call.requestId()));
      }
      return this;
    }
    admissionAnswered = true;
    cancelWait();
    if (admission instanceof Denied denied) {
      if (asks > 1 && call.endpoint().metered()) {
        org.tell(new OrgCommand.Withdraw(call.requestId())); // a later ask may yet be admitted: release it
      }
      deps.metrics().denial(denied.reason());
      return refuse(denialError(denied), denied.retryAfterSeconds(), denied, denied.reason().name().toLowerCase());
    }
    if (admission instanceof Admitted a) {
      admitted = a;
      limits = a.limits();
    }
    deps.faults().at(RequestFaults.Stage.CALLING, call);
    upstreamStartNanos = System.nanoTime();
    upstreamCalled = true;
    CompletableFuture<HttpResponse> response = call.upstream().send(upstreamRequest(call.upstream())).toCompletableFuture()
        .orTimeout(deps.settings().upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
    getContext().pipeToSelf(response, UpstreamResult::new);
    return this;
  }

  private Behavior<Object> refuse(GatewayError error, long retryAfter, Denied denied, String reason) {
    respond(GatewayResponses.error(call.provider().errors(), error, call.requestId(), retryAfter,
        denied == null ? null : denied.limits(), now()), error.status());
    deps.metrics().request(providerId, deps.pricer().metricModel(providerId, call.facts().model()), error.status());
    if (deps.settings().accessLog()) {
      accessLog.atInfo().addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
          .addKeyValue("key", call.key().keyId()).addKeyValue("provider", providerId).addKeyValue("model", call.facts().model())
          .addKeyValue("status", error.status()).addKeyValue("denied", reason)
          .addKeyValue("duration_ms", millisSince(call.receivedNanos())).log("request");
    }
    return Behaviors.stopped();
  }

  private static GatewayError denialError(Denied denied) {
    return switch (denied.reason()) {
      case UNKNOWN_KEY, REVOKED_KEY -> GatewayError.of(ErrorKind.INVALID_KEY, denied.message());
      case MODEL_NOT_ALLOWED -> GatewayError.of(ErrorKind.MODEL_NOT_ALLOWED, denied.message());
      case UNPRICED_MODEL -> GatewayError.of(ErrorKind.INVALID_REQUEST, denied.message());
      case REQUESTS_PER_MINUTE -> new GatewayError(ErrorKind.RATE_LIMITED, denied.message(), "requests");
      case TOKENS_PER_MINUTE -> new GatewayError(ErrorKind.RATE_LIMITED, denied.message(), "tokens");
      case MONTHLY_REQUESTS, MONTHLY_BUDGET -> GatewayError.of(ErrorKind.QUOTA_EXCEEDED, denied.message());
      case OVERLOADED -> GatewayError.of(ErrorKind.UNAVAILABLE, denied.message());
    };
  }

  private HttpRequest upstreamRequest(UpstreamClient upstream) {
    var endpoint = upstream.endpoint();
    List<HttpHeader> headers = new java.util.ArrayList<>(call.forwardHeaders());
    if (endpoint.apiKey() != null) {
      KeyPlacement auth = call.provider().upstreamAuth();
      headers.add(RawHeader.create(auth.header(), auth.prefix() + endpoint.apiKey()));
    }
    return HttpRequest.POST(endpoint.basePath() + call.upstreamPath())
        .addHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, call.upstreamBody()));
  }

  // ---- upstream answer ----

  private Behavior<Object> onUpstream(UpstreamResult result) {
    if (result.failure() != null) {
      Throwable cause = unwrap(result.failure());
      boolean timeout = cause instanceof TimeoutException;
      log.atWarn().addKeyValue("request_id", call.requestId()).addKeyValue("provider", providerId)
          .addKeyValue("error", cause.toString()).log(timeout ? "upstream timed out" : "upstream unreachable");
      GatewayError error = timeout
          ? GatewayError.of(ErrorKind.UPSTREAM_TIMEOUT, "The provider did not answer within "
              + deps.settings().upstreamTimeout().toSeconds() + "s.")
          : GatewayError.of(ErrorKind.UPSTREAM_FAILURE, "The provider could not be reached.");
      respond(GatewayResponses.error(call.provider().errors(), error, call.requestId(), 0, limits, now()),
          error.status());
      return settle(timeout ? Outcome.UPSTREAM_TIMEOUT : Outcome.UPSTREAM_UNREACHABLE, TokenUsage.ZERO, false,
          call.facts().model());
    }
    HttpResponse response = result.response();
    upstreamNanos = System.nanoTime() - upstreamStartNanos;
    int status = response.status().intValue();
    boolean eventStream = response.entity().getContentType().mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
    if (status >= 200 && status < 300 && call.facts().stream() && eventStream) {
      return streamToClient(response);
    }
    long maxBytes = status >= 200 && status < 300 ? MAX_RESPONSE_BYTES : MAX_ERROR_BODY_BYTES;
    CompletableFuture<HttpEntity.Strict> body = Bodies.strict(response.entity(), maxBytes,
        deps.settings().upstreamTimeout().toMillis(), deps.materializer()).toCompletableFuture();
    pendingResponse = response;
    if (body.isDone() && !body.isCompletedExceptionally()) {
      return onBody(new BodyResult(body.join(), null)); // arrived whole (the usual case): no message round trip
    }
    getContext().pipeToSelf(body, BodyResult::new);
    return this;
  }

  private Behavior<Object> onBody(BodyResult result) {
    deps.faults().at(RequestFaults.Stage.ANSWERING, call);
    HttpResponse upstream = pendingResponse;
    pendingResponse = null;
    int status = upstream.status().intValue();
    if (result.failure() != null) {
      respond(GatewayResponses.error(call.provider().errors(), GatewayError.of(ErrorKind.UPSTREAM_FAILURE,
          "The provider's answer broke off."), call.requestId(), 0, limits, now()), 502);
      return settle(Outcome.UPSTREAM_CUT, estimate(""), true, call.facts().model());
    }
    byte[] body = result.body().getData().toArray();
    List<HttpHeader> headers = GatewayResponses.responseHeaders(upstream.getHeaders(), call.requestId(), limits, now());
    if (status < 200 || status >= 300) {
      // The provider's own error, passed on; a server error becomes a 502 so no one mistakes it for ours.
      int clientStatusCode = status >= 500 ? 502 : status;
      respond(HttpResponse.create().withStatus(status >= 500 ? StatusCodes.BAD_GATEWAY : upstream.status()).addHeaders(headers)
          .withEntity(HttpEntities.create(result.body().getContentType(), body)), clientStatusCode);
      return settle(Outcome.UPSTREAM_ERROR, TokenUsage.ZERO, false, call.facts().model());
    }
    Optional<ReportedUsage> usage = call.endpoint().usage().fromBody(body);
    String model = usage.map(ReportedUsage::model).filter(m -> m != null).orElse(call.facts().model());
    TokenUsage tokens = usage.map(ReportedUsage::tokens).orElseGet(() -> estimate(call.endpoint().usage().completionText(body)));
    Pricer.Priced priced = price(model, tokens);
    headers.add(RawHeader.create(GatewayResponses.COST, Money.formatUsd(priced.costNanos())));
    HttpResponse answer = HttpResponse.create().withStatus(upstream.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(result.body().getContentType(), body));
    if (waitsForJournal()) {
      hold(answer, status);
    } else {
      respond(answer, status);
    }
    return settle(Outcome.COMPLETED, tokens, usage.isEmpty(), model, priced,
        usage.map(ReportedUsage::providerCostNanos).orElse(null));
  }

  private Behavior<Object> streamToClient(HttpResponse upstream) {
    streamReader = call.endpoint().usage().streamReader(call.hidesStreamUsage());
    var self = getContext().getSelf();
    UsageTap tap = new UsageTap(streamReader, new UsageTap.Listener() {
      @Override
      public void started() {
        self.tell(StreamStarted.INSTANCE);
      }

      @Override
      public void ended(UsageTap.End end, Throwable cause) {
        self.tell(new StreamEnded(end, cause));
      }
    });
    var body = upstream.entity().getDataBytes().via(tap);
    if (waitsForJournal()) {
      journaled = new CompletableFuture<>();
      body = body.concat(Source.completionStage(journaled).flatMapConcat(done -> Source.<ByteString>empty()));
    }
    HttpResponse response = HttpResponse.create()
        .withStatus(upstream.status())
        .addHeaders(GatewayResponses.responseHeaders(upstream.getHeaders(), call.requestId(), limits, now()))
        .withEntity(HttpEntities.createChunked(upstream.entity().getContentType(), body));
    // If the client is gone before the body is even subscribed, the tap never starts; don't wait forever.
    await(StreamStartTimedOut.INSTANCE, STREAM_START_TIMEOUT);
    respond(response, upstream.status().intValue());
    return this;
  }

  private Behavior<Object> onStreamEnded(StreamEnded ended) {
    if (record != null) {
      return this; // already settling
    }
    cancelWait();
    deps.faults().at(RequestFaults.Stage.STREAMED, call);
    Optional<ReportedUsage> usage = streamReader.usage();
    String model = usage.map(ReportedUsage::model).filter(m -> m != null)
        .orElse(streamReader.model() != null ? streamReader.model() : call.facts().model());
    Outcome outcome = switch (ended.end()) {
      // A provider that answered 200 and then sent an error event did not succeed, whatever the status said.
      case COMPLETED -> streamReader.streamError().isPresent() ? Outcome.UPSTREAM_ERROR : Outcome.COMPLETED;
      case UPSTREAM_FAILED -> Outcome.UPSTREAM_CUT;
      case CLIENT_CANCELLED -> Outcome.CLIENT_DISCONNECTED;
    };
    if (outcome != Outcome.COMPLETED) {
      log.atInfo().addKeyValue("request_id", call.requestId()).addKeyValue("outcome", outcome)
          .addKeyValue("usage_reported", usage.isPresent()).log("stream ended early");
    }
    TokenUsage tokens = usage.map(ReportedUsage::tokens)
        .orElseGet(() -> estimate(streamReader.streamedText(), streamReader.partialUsage()));
    if (journaled != null) {
      awaitJournal();
    }
    return settle(outcome, tokens, usage.isEmpty(), model, price(model, tokens),
        usage.map(ReportedUsage::providerCostNanos).orElse(null));
  }

  private TokenUsage estimate(String outputText) {
    return estimate(outputText, Optional.empty());
  }

  /** Tokens counted by the gateway; what the provider already reported (e.g. input at the start) wins. */
  private TokenUsage estimate(String outputText, Optional<TokenUsage> reportedSoFar) {
    TokenUsage counted = deps.estimator().estimate(call.facts().model(), call.clientBody(), outputText);
    return reportedSoFar.map(p -> new TokenUsage(p.input(), Math.max(p.output(), counted.output()), p.cacheRead(),
        p.cacheWrite(), null, p.cacheWrite1h())).orElse(counted);
  }

  /** A metered answer waits for its usage to be journaled only if the node is told so. */
  private boolean waitsForJournal() {
    return admitted != null && deps.settings().answersWaitForJournal();
  }

  /** Ready but held until the usage is journaled, or admission-timeout at most: a slow journal delays, never loses, it. */
  private void hold(HttpResponse answer, int status) {
    answered(status);
    heldAnswer = answer;
    awaitJournal();
  }

  private void awaitJournal() {
    journalWait = getContext().scheduleOnce(deps.settings().admissionTimeout(), getContext().getSelf(), JournalWaitOver.INSTANCE);
  }

  /** Starts a wait in place of the one under way. */
  private void await(Msg over, Duration after) {
    cancelWait();
    pendingWait = getContext().scheduleOnce(after, getContext().getSelf(), over);
  }

  private void cancelWait() {
    if (pendingWait != null) {
      pendingWait.cancel();
      pendingWait = null;
    }
  }

  private void releaseAnswer() {
    if (heldAnswer != null) {
      call.responder().complete(heldAnswer);
      heldAnswer = null;
    }
    if (journaled != null) {
      journaled.complete(Done.getInstance());
    }
  }

  private void respond(HttpResponse response, int status) {
    answered(status);
    call.responder().complete(response);
  }

  /** The answer is ready: its status and the gateway's own time so far go into the record and metrics. */
  private void answered(int status) {
    clientStatus = status;
    overheadNanos = upstreamNanos < 0 ? -1 : System.nanoTime() - call.receivedNanos() - upstreamNanos;
  }

  // ---- settlement ----

  private Behavior<Object> settle(Outcome outcome, TokenUsage tokens, boolean estimated, String model) {
    return settle(outcome, tokens, estimated, model, price(model, tokens), null);
  }

  /** At the price of the moment the org admitted the call (prices can change by the hour), with the org's own prices. */
  private Pricer.Priced price(String model, TokenUsage tokens) {
    long at = admitted != null ? admitted.admittedAtMillis() : now();
    return deps.pricer().price(providerId, model, call.facts().model(), tokens, at,
        admitted != null ? admitted.pricing() : OrgPricing.DEFAULT);
  }

  private Behavior<Object> settle(Outcome outcome, TokenUsage tokens, boolean estimated, String model, Pricer.Priced priced,
      Long providerCostNanos) {
    deps.faults().at(RequestFaults.Stage.SETTLING, call);
    boolean metered = admitted != null;
    // The provider names the model it used: whatever it sends, the record takes it as safe text.
    record = new UsageRecord(call.requestId(), metered ? admitted.reservation() : null, call.key().keyId(),
        metered ? admitted.admittedAtMillis() : now(), now(), providerId, SafeText.clean(model, RequestFacts.MAX_MODEL_LENGTH),
        clientStatus, outcome, tokens,
        priced.costNanos(), priced.priceSource(), priced.unpriced(), estimated, call.attribution(),
        call.endpoint().api(), providerCostNanos);
    if (settling()) {
      deps.inFlight().settlingStarted(); // right with the record, so a failure below still ends it at the stop
    }
    String metricModel = deps.pricer().metricModel(providerId, model);
    deps.metrics().request(providerId, metricModel, clientStatus);
    deps.metrics().timings(providerId, System.nanoTime() - call.receivedNanos(), upstreamNanos, overheadNanos);
    if (metered) {
      deps.metrics().usage(providerId, metricModel, tokens, priced.costNanos(), priced.unpriced(), estimated);
    }
    logAccess();
    if (!metered) {
      return Behaviors.stopped(); // passed through unmetered: nothing to settle
    }
    settleStartNanos = System.nanoTime();
    return settleAttempt();
  }

  /** A metered request with its record made waits for the journal (counted in InFlightRequests) until it stops. */
  private boolean settling() {
    return record != null && admitted != null;
  }

  private Behavior<Object> settleAttempt() {
    settleAttempts++;
    tellOrg(new OrgCommand.Settle(record, ackReplies), settleAttempts > 1);
    await(SettleTimedOut.INSTANCE, deps.settings().settleAttemptTimeout());
    return this;
  }

  /** No ack in time: the org may be moving or its journal slow; retry with backoff, bounded by the horizon. */
  private Behavior<Object> onSettleTimedOut() {
    if (System.nanoTime() - settleStartNanos > deps.settings().settleRetryHorizon().toNanos()) {
      deps.metrics().usageUnsettled();
      log.atError().addKeyValue("request_id", record.requestId()).addKeyValue("org", call.key().orgId())
          .addKeyValue("record", record).log("usage could not be journaled within the retry horizon; recorded here only");
      return Behaviors.stopped();
    }
    long backoffMs = Math.min(10_000, 200L << Math.min(settleAttempts, 6));
    await(RetrySettle.INSTANCE, Duration.ofMillis(backoffMs));
    return this;
  }

  private void logAccess() {
    if (!deps.settings().accessLog()) {
      return;
    }
    var a = record.attribution();
    accessLog.atInfo().addKeyValue("request_id", record.requestId()).addKeyValue("org", call.key().orgId())
        .addKeyValue("key", record.keyId()).addKeyValue("provider", providerId).addKeyValue("model", record.model())
        .addKeyValue("api", record.api()).addKeyValue("stream", call.facts().stream()).addKeyValue("status", record.status())
        .addKeyValue("outcome", record.outcome()).addKeyValue("input", record.tokens().input())
        .addKeyValue("output", record.tokens().output()).addKeyValue("cache_read", record.tokens().cacheRead())
        .addKeyValue("cost_usd", Money.formatUsd(record.costNanos())).addKeyValue("estimated", record.estimated())
        .addKeyValue("duration_ms", millisSince(call.receivedNanos()))
        .addKeyValue("upstream_ms", upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000)
        .addKeyValue("agent", a.agent()).addKeyValue("session", a.session()).addKeyValue("customer", a.customer())
        .addKeyValue("team", a.team()).addKeyValue("user", a.user())
        .log("request");
  }

  private long now() {
    return deps.clock().millis();
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
