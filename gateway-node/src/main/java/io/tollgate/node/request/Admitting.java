package io.tollgate.node.request;

import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.request.RequestActor.AdmissionTimedOut;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import java.util.Locale;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The first phase: the org is asked to admit the request, and asked again if it does not answer in time. */
final class Admitting extends Phase {
  /** The ask sent to the org, kept to ask again; null until it is sent. */
  private OrgCommand ask;
  private int asks;

  Admitting(RequestActor request) {
    super(request, null);
  }

  @Override
  Behavior<Object> start() {
    send();
    return this;
  }

  @Override
  Behavior<Object> on(Object msg) {
    if (msg instanceof Admission admission) {
      return admitted(admission);
    } else if (msg == AdmissionTimedOut.INSTANCE) {
      return timedOut();
    }
    return late(msg);
  }

  /** Withdrawn, the way the ask went, so the org takes it after the ask. */
  @Override
  void release() {
    if (ask instanceof OrgCommand.Admit) {
      request.tellOrg(new OrgCommand.Withdraw(request.call.requestId()), request.askedAgain);
    }
  }

  private void send() {
    asks++;
    request.askedAgain = asks > 1;
    request.await(AdmissionTimedOut.INSTANCE, request.deps.settings().admission().timeout());
    if (ask == null) {
      ask = firstAsk();
    } else if (ask instanceof OrgCommand.Admit admit) {
      ask = new OrgCommand.Admit(admit.request().again(deadline()), request.self());
    }
    request.tellOrg(ask, request.askedAgain);
  }

  private OrgCommand firstAsk() {
    ProxyCall call = request.call;
    request.deps.faults().at(RequestFaults.Stage.ADMITTING, call);
    if (!call.endpoint().metered()) {
      // Passed through without counting (token counting): only the key and model are checked.
      return new OrgCommand.Authenticate(new AdmitRequest(call.requestId(), call.key().keyId(), call.secretHash(),
          call.facts().model(), 0, 0), request.self());
    }
    return new OrgCommand.Admit(request.deps.metering().admitRequest(call, deadline()), request.self());
  }

  private long deadline() {
    return request.now() + request.deps.settings().admission().timeout().toMillis();
  }

  /**
   * The org did not answer: its node may have died and not be downed yet, so ask again (the org answers a
   * repeated ask with the hold it already gave) until the retry horizon, and only then give up with a 503.
   */
  private Behavior<Object> timedOut() {
    var settings = request.deps.settings();
    long waitedNanos = System.nanoTime() - request.call.receivedNanos();
    if (waitedNanos + settings.admission().timeout().toNanos() <= settings.admission().retryHorizon().toNanos()) {
      RequestActor.log.atDebug().addKeyValue("request_id", request.call.requestId())
          .addKeyValue("org", request.call.key().orgId()).addKeyValue("asks", asks)
          .log("org did not answer admission in time; asking again");
      send();
      return this;
    }
    RequestActor.log.atWarn().addKeyValue("request_id", request.call.requestId())
        .addKeyValue("org", request.call.key().orgId()).addKeyValue("asks", asks)
        .log("org did not answer admission in time");
    if (request.call.endpoint().metered()) {
      request.tellOrgAnywhere(new OrgCommand.Withdraw(request.call.requestId())); // its answer may still be on the way
    }
    return refuse(GatewayError.of(ErrorKind.UNAVAILABLE,
        "The gateway could not reach this organization's quota keeper in time. Please retry shortly."), 1, null,
        "unreachable");
  }

  private Behavior<Object> admitted(Admission admission) {
    request.cancelWait();
    if (admission instanceof Denied denied) {
      if (asks > 1 && request.call.endpoint().metered()) {
        request.tellOrgAnywhere(new OrgCommand.Withdraw(request.call.requestId())); // a later ask may yet be admitted
      }
      request.deps.metrics().denial(denied.reason());
      GatewayError error = GatewayResponses.denial(denied);
      return refused(GatewayResponses.denied(request.call.provider().errors(), denied, request.call.requestId(),
          request.now()), error.status(), denied.reason().name().toLowerCase(Locale.ROOT));
    }
    Admitted grant = admission instanceof Admitted a ? a : null;
    request.deps.faults().at(RequestFaults.Stage.CALLING, request.call);
    return request.enter(new Calling(request, grant));
  }

  private Behavior<Object> refuse(GatewayError error, long retryAfter, RateLimitStatus limits, String reason) {
    return refused(GatewayResponses.error(request.call.provider().errors(), error, request.call.requestId(), retryAfter,
        limits, request.now()), error.status(), reason);
  }

  private Behavior<Object> refused(HttpResponse response, int status, String reason) {
    ProxyCall call = request.call;
    request.respond(response, status);
    request.deps.metrics().request(request.providerId,
        request.deps.metering().pricer().metricModel(request.providerId, call.facts().model()), status);
    request.deps.accessLog().denied(call, status, reason);
    return Behaviors.stopped();
  }
}
