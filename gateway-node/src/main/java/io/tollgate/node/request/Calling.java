package io.tollgate.node.request;

import io.tollgate.node.config.Resilience;
import io.tollgate.node.request.RequestActor.BodyResult;
import io.tollgate.node.request.RequestActor.UpstreamResult;
import io.tollgate.node.upstream.Deployment;
import io.tollgate.persistence.cache.ResponseCacheStore;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.PiiMode;
import io.tollgate.protocol.org.UpstreamAttempt;
import io.tollgate.protocol.pii.PiiScanner;
import io.tollgate.protocol.pii.PiiType;
import io.tollgate.protocol.provider.Endpoint.Billing;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Admitted: the upstream is called, and a whole answer read and passed on with its cost. A stream goes on to
 * {@link Streaming}. A call that fails before any byte reached the client (no connection, a timeout, a 5xx, a
 * 429) is tried again on another deployment of the provider, after a backoff with jitter, while retries and the
 * retry window allow; then on the next of its fallbacks, if it has any. A scope's downgrade serves it by
 * another model from the start. Every try that did not serve it goes into its record.
 */
final class Calling extends Phase {
  /** Time to try the call again, on a deployment not tried yet. */
  private enum Retry { NOW }

  /** What the response cache holds for the call. */
  private record CacheLookup(Optional<ResponseCacheStore.Entry> entry) {}

  /** Whether the call was the first to read its resource ({@code earlier} empty) and is billed for it. */
  private record Claimed(Optional<String> earlier, Throwable failure) {}

  /** An answer read whole, waiting to learn whether it is billed. */
  private record Read(HttpEntity.Strict entity, byte[] body, Metering.Metered metered) {}

  /** The call as the client made it (redacted, if the org says so): fallbacks are named from its provider. */
  private ProxyCall asked;
  /** The models still to fall back on, in order. */
  private final Deque<String> fallbacks = new ArrayDeque<>(0);
  /** When the first try of the model being tried started: its retries start within retry-within of it. */
  private long startNanos;
  private long attemptNanos;
  /** The upstream's answer whose body is being read; null until it arrives. */
  private HttpResponse answer;
  private final Set<Deployment> tried = new HashSet<>();
  /** The deployment of the attempt whose answer is awaited; null once its health was reported. */
  private Deployment pending;
  /** The answer whose billing is being claimed; null until then. */
  private Read claiming;

  Calling(RequestActor request, Admitted grant) {
    super(request, grant);
    this.asked = request.call;
  }

  @Override
  Behavior<Object> start() {
    if (grant != null && grant.pii() != null) { // null when off
      Redaction.Result scan = Redaction.of(asked);
      if (scan.found().any()) {
        request.deps.metrics().pii(scan.found().counts());
        if (grant.pii() == PiiMode.BLOCK) {
          return blocked(scan.found());
        }
        asked = scan.call();
        request.call = asked;
      }
    }
    if (grant != null && Fallbacks.movable(asked.provider(), asked.endpoint())) {
      fallbacks.addAll(grant.fallbacks());
      if (grant.model() != null) {
        request.call = served(grant.model()).orElse(asked);
      }
    }
    startNanos = System.nanoTime();
    Duration ttl = grant == null ? null : request.deps.cache().ttl(request.call, grant.cacheTtlSeconds());
    byte[] key = ttl == null ? null : ResponseCache.key(request.call);
    if (key == null) {
      return attempt();
    }
    request.cacheKey = key;
    request.cacheTtl = ttl;
    request.ctx.pipeToSelf(request.deps.cache().find(request.call.key().orgId(), key),
        (entry, failure) -> new CacheLookup(entry == null ? Optional.empty() : entry));
    return this;
  }

  /** A kept answer is this request's, at no cost; else the call goes upstream and its answer is kept. */
  private Behavior<Object> looked(CacheLookup lookup) {
    ProxyCall call = request.call;
    if (lookup.entry().isEmpty()) {
      request.deps.metrics().cache(call.provider().id().id(), false);
      return attempt();
    }
    ResponseCacheStore.Entry entry = lookup.entry().get();
    request.cacheKey = null; // nothing to keep
    request.deps.metrics().cache(call.provider().id().id(), true);
    request.respond(ResponseCache.replay(entry, call.requestId(), limits(), request.now()), entry.status());
    return finish(Outcome.COMPLETED, request.deps.metering().cached(call, grant, entry.model(), entry.costNanos()));
  }

  /** Refused by the PII policy before the provider saw it: a 400 naming the types found (never the values). */
  private Behavior<Object> blocked(PiiScanner.Found found) {
    ProxyCall call = request.call;
    String types = found.counts().keySet().stream().map(PiiType::label).collect(Collectors.joining(", "));
    GatewayError error = GatewayError.of(ErrorKind.INVALID_REQUEST, "The request holds personal data or secrets ("
        + types + "), and this organization's policy refuses such requests.");
    request.respond(GatewayResponses.error(call.provider().errors(), error, call.requestId(), 0, limits(),
        request.now()), error.status());
    return finish(Outcome.PII_BLOCKED, request.deps.metering().nothing(call, grant));
  }

  /** The call as {@code model} serves it; empty (and logged) when no configured provider can. */
  private Optional<ProxyCall> served(String model) {
    Optional<ProxyCall> call = request.deps.fallbacks().serve(asked, model);
    if (call.isEmpty()) {
      RequestActor.log.atWarn().addKeyValue("request_id", asked.requestId()).addKeyValue("model", model)
          .log("a fallback or downgrade names a model no configured OpenAI-compatible provider serves; skipped");
    }
    return call;
  }

  private Behavior<Object> attempt() {
    attemptNanos = System.nanoTime();
    UpstreamExchange.Attempt attempt = request.deps.exchange().send(request.call, tried);
    pending = attempt.deployment();
    tried.add(pending);
    request.ctx.pipeToSelf(attempt.answer(), UpstreamResult::new);
    return this;
  }

  @Override
  Behavior<Object> on(Object msg) {
    if (msg instanceof UpstreamResult result) {
      return answered(result);
    } else if (msg instanceof BodyResult body) {
      return read(body);
    } else if (msg == Retry.NOW) {
      return attempt();
    } else if (msg instanceof CacheLookup lookup) {
      return looked(lookup);
    } else if (msg instanceof Claimed claimed) {
      return claimed(claimed);
    }
    return late(msg);
  }

  @Override
  void release() {
    abandon();
  }

  @Override
  void stopped() {
    report(Deployment.Result.UNKNOWN, 0); // the client went away with an attempt out
  }

  private void report(Deployment.Result result, long retryAfterMillis) {
    if (pending != null) {
      pending.finished(result, retryAfterMillis);
      pending = null;
    }
  }

  /**
   * After a try that did not serve: the next try (another deployment, else the next fallback) is under way and
   * this one on record; false if the call is over, this try being its last.
   */
  private boolean tryAgain(String deployment, int status, Outcome outcome) {
    ProxyCall call = request.call;
    UpstreamAttempt made = new UpstreamAttempt(call.provider().id().id(), call.facts().model(), deployment, status,
        outcome, (System.nanoTime() - attemptNanos) / 1_000_000);
    if (retryLater()) {
      request.attempts.add(made);
      return true;
    }
    while (!fallbacks.isEmpty()) {
      Optional<ProxyCall> next = served(fallbacks.poll());
      if (next.isPresent()) {
        request.attempts.add(made);
        request.call = next.get();
        tried.clear();
        startNanos = System.nanoTime();
        request.ctx.getSelf().tell(Retry.NOW);
        return true;
      }
    }
    return false;
  }

  /**
   * Schedules the next attempt if a deployment is left to try, retries remain and the wait still ends within
   * retry-within of the first; false if the call is over.
   */
  private boolean retryLater() {
    Resilience resilience = request.deps.settings().providers().resilience();
    int retries = tried.size() - 1;
    if (retries >= resilience.retries() || tried.size() >= request.call.upstream().deployments().size()) {
      return false;
    }
    long base = resilience.retryBackoff().toNanos() << retries;
    long wait = base / 2 + (base > 1 ? ThreadLocalRandom.current().nextLong(base / 2 + 1) : 0);
    long deadline = startNanos + resilience.retryWithin().toNanos();
    if (System.nanoTime() + wait >= deadline) {
      return false;
    }
    request.ctx.scheduleOnce(Duration.ofNanos(wait), request.ctx.getSelf(), Retry.NOW);
    return true;
  }

  private RateLimitStatus limits() {
    return grant == null ? null : grant.limits();
  }

  private Behavior<Object> answered(UpstreamResult result) {
    ProxyCall call = request.call;
    UpstreamExchange exchange = request.deps.exchange();
    String deployment = pending == null ? null : pending.name();
    if (result.failure() != null) {
      report(Deployment.Result.FAILED, 0);
      UpstreamExchange.Failure failure = exchange.failure(result.failure());
      if (tryAgain(deployment, 0, failure.outcome())) {
        return this;
      }
      RequestActor.log.atWarn().addKeyValue("request_id", call.requestId()).addKeyValue("provider", request.providerId)
          .addKeyValue("error", failure.cause().toString())
          .log(failure.outcome() == Outcome.UPSTREAM_TIMEOUT ? "upstream timed out" : "upstream unreachable");
      request.respond(GatewayResponses.error(call.provider().errors(), failure.error(), call.requestId(), 0, limits(),
          request.now()), failure.error().status());
      return finish(failure.outcome(), request.deps.metering().nothing(call, grant));
    }
    Deployment.Result health = UpstreamExchange.result(result.response());
    report(health, health == Deployment.Result.RATE_LIMITED ? UpstreamExchange.retryAfterMillis(result.response(),
        request.now(), request.deps.settings().providers().resilience().cooldown().toMillis()) : 0);
    if (health != Deployment.Result.ANSWERED
        && tryAgain(deployment, result.response().status().intValue(), Outcome.UPSTREAM_ERROR)) {
      result.response().discardEntityBytes(request.deps.materializer());
      return this;
    }
    answer = result.response();
    request.upstreamNanos = System.nanoTime() - startNanos;
    if (UpstreamExchange.streams(call, answer)) {
      return request.enter(new Streaming(request, grant, answer));
    }
    CompletableFuture<HttpEntity.Strict> body = exchange.body(answer);
    if (body.isDone() && !body.isCompletedExceptionally()) {
      return read(new BodyResult(body.join(), null)); // arrived whole (the usual case): no message round trip
    }
    request.ctx.pipeToSelf(body, BodyResult::new);
    return this;
  }

  private Behavior<Object> read(BodyResult result) {
    ProxyCall call = request.call;
    request.deps.faults().at(RequestFaults.Stage.ANSWERING, call);
    Metering metering = request.deps.metering();
    if (result.failure() != null) {
      request.respond(GatewayResponses.error(call.provider().errors(), UpstreamExchange.BROKE_OFF, call.requestId(), 0,
          limits(), request.now()), UpstreamExchange.BROKE_OFF.status());
      return finish(Outcome.UPSTREAM_CUT, metering.cut(call, grant));
    }
    if (!UpstreamExchange.succeeded(answer)) {
      List<HttpHeader> headers = GatewayResponses.responseHeaders(answer.getHeaders(), call.requestId(), limits(),
          request.now());
      int status = answer.status().intValue();
      request.respond(UpstreamExchange.passOnError(answer, result.body(), headers), UpstreamExchange.passedOnStatus(status));
      return finish(Outcome.UPSTREAM_ERROR, metering.nothing(call, grant));
    }
    byte[] body = result.body().getData().toArray();
    // Token counting is not billed: it has no cost to show or record.
    Metering.Metered metered = call.endpoint().metered() ? metering.whole(call, grant, body) : metering.nothing(call, grant);
    if (grant != null && call.endpoint().billing().once()
        && (metered.tokens().total() > 0 || metered.priced().costNanos() > 0)) {
      claiming = new Read(result.body(), body, metered);
      request.ctx.pipeToSelf(request.deps.once().claim(call), Claimed::new);
      return this;
    }
    return passOn(result.body(), body, metered, null);
  }

  /** Billed if the call read its resource first; else on record at no cost, naming the request that was billed. */
  private Behavior<Object> claimed(Claimed claim) {
    Read read = claiming;
    Metering.Metered metered = read.metered();
    if (claim.failure() != null) { // the provider billed it: better on the books than lost
      RequestActor.log.atWarn().addKeyValue("request_id", request.call.requestId()).addKeyValue("error",
          claim.failure().toString()).log("could not check whether a resource was billed already; billing it");
    } else if (claim.earlier().isPresent()) {
      metered = request.deps.metering().nothing(request.call, grant);
    }
    return passOn(read.entity(), read.body(), metered, claim.failure() == null ? claim.earlier().orElse(null) : null);
  }

  /** @param billedBy the request billed for this answer's resource before, or null */
  private Behavior<Object> passOn(HttpEntity.Strict entity, byte[] body, Metering.Metered metered, String billedBy) {
    ProxyCall call = request.call;
    List<HttpHeader> headers = GatewayResponses.responseHeaders(answer.getHeaders(), call.requestId(), limits(),
        request.now());
    int status = answer.status().intValue();
    if (call.endpoint().metered()) {
      headers.add(RawHeader.create(GatewayResponses.COST, Money.formatUsd(metered.priced().costNanos())));
      if (call.endpoint().billing() == Billing.PER_CALL) { // what serves a free call or a read result is no model
        headers.add(GatewayResponses.servedBy(call));
      }
    }
    if (billedBy != null) {
      headers.add(RawHeader.create(OnceBilling.BILLED_BY, billedBy));
    }
    if (request.cacheKey != null) {
      headers.add(RawHeader.create(ResponseCache.HEADER, "miss"));
    }
    HttpResponse passed = HttpResponse.create().withStatus(answer.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(entity.getContentType(), body));
    if (request.keepsAnswer()) {
      request.replayable = request.deps.idempotency().answer(call.requestId(), status, entity.getContentType(),
          headers, body);
    }
    if (request.waitsForJournal(grant)) {
      request.hold(passed, status);
    } else {
      request.respond(passed, status);
    }
    return finish(Outcome.COMPLETED, metered);
  }
}
