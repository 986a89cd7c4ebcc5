package io.tollgate.node.request;

import io.tollgate.node.request.RequestActor.BodyResult;
import io.tollgate.node.request.RequestActor.UpstreamResult;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.RateLimitStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Admitted: the upstream is called, and a whole answer read and passed on with its cost. A stream goes on to
 * {@link Streaming}.
 */
final class Calling extends Phase {
  private long startNanos;
  /** The upstream's answer whose body is being read; null until it arrives. */
  private HttpResponse answer;

  Calling(RequestActor request, Admitted grant) {
    super(request, grant);
  }

  @Override
  Behavior<Object> start() {
    startNanos = System.nanoTime();
    request.ctx.pipeToSelf(request.deps.exchange().send(request.call), UpstreamResult::new);
    return this;
  }

  @Override
  Behavior<Object> on(Object msg) {
    if (msg instanceof UpstreamResult result) {
      return answered(result);
    } else if (msg instanceof BodyResult body) {
      return read(body);
    }
    return late(msg);
  }

  @Override
  void release() {
    abandon();
  }

  private RateLimitStatus limits() {
    return grant == null ? null : grant.limits();
  }

  private Behavior<Object> answered(UpstreamResult result) {
    ProxyCall call = request.call;
    UpstreamExchange exchange = request.deps.exchange();
    if (result.failure() != null) {
      UpstreamExchange.Failure failure = exchange.failure(result.failure());
      RequestActor.log.atWarn().addKeyValue("request_id", call.requestId()).addKeyValue("provider", request.providerId)
          .addKeyValue("error", failure.cause().toString())
          .log(failure.outcome() == Outcome.UPSTREAM_TIMEOUT ? "upstream timed out" : "upstream unreachable");
      request.respond(GatewayResponses.error(call.provider().errors(), failure.error(), call.requestId(), 0, limits(),
          request.now()), failure.error().status());
      return finish(failure.outcome(), request.deps.metering().nothing(call, grant));
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
    List<HttpHeader> headers = GatewayResponses.responseHeaders(answer.getHeaders(), call.requestId(), limits(),
        request.now());
    int status = answer.status().intValue();
    if (!UpstreamExchange.succeeded(answer)) {
      request.respond(UpstreamExchange.passOnError(answer, result.body(), headers), UpstreamExchange.passedOnStatus(status));
      return finish(Outcome.UPSTREAM_ERROR, metering.nothing(call, grant));
    }
    byte[] body = result.body().getData().toArray();
    // Token counting is not billed: it has no cost to show or record.
    Metering.Metered metered = call.endpoint().metered() ? metering.whole(call, grant, body) : metering.nothing(call, grant);
    if (call.endpoint().metered()) {
      headers.add(RawHeader.create(GatewayResponses.COST, Money.formatUsd(metered.priced().costNanos())));
    }
    HttpResponse passed = HttpResponse.create().withStatus(answer.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(result.body().getContentType(), body));
    if (request.waitsForJournal(grant)) {
      request.hold(passed, status);
    } else {
      request.respond(passed, status);
    }
    return finish(Outcome.COMPLETED, metered);
  }
}
