package io.tollgate.node.http;

import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.node.request.IdempotentAnswers;
import io.tollgate.node.request.ProxyCall;
import io.tollgate.node.request.RequestDeps;
import io.tollgate.node.stream.Stages;
import io.tollgate.persistence.idempotency.IdempotencyStore.Claimed;
import io.tollgate.persistence.idempotency.IdempotencyStore.Mismatch;
import io.tollgate.persistence.idempotency.IdempotencyStore.Stored;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxied request with an {@code Idempotency-Key}: the first with the key goes ahead; a repeat while it is in
 * flight waits for it (as long as {@code Prefer: wait=<seconds>} allows; {@code wait=0}: a 409 at once); a
 * repeat after it succeeded gets its answer again, {@code Idempotent-Replayed: true}, neither billed nor counted
 * (its key is still checked); the same key for another request is a 422.
 */
final class IdempotentIntake {
  private static final Pattern WAIT = Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");
  private static final long POLL_MILLIS = 100;
  private static final Logger log = LoggerFactory.getLogger(IdempotentIntake.class);

  private final RequestDeps deps;

  IdempotentIntake(RequestDeps deps) {
    this.deps = deps;
  }

  /** The request's key, or null when it has none. */
  static String key(HttpRequest request) {
    Optional<HttpHeader> header = request.getHeader(IdempotentAnswers.KEY_HEADER);
    if (header.isEmpty()) {
      return null;
    }
    String key = header.get().value().trim();
    if (key.isEmpty() || key.length() > IdempotentAnswers.MAX_KEY_LENGTH || !SafeText.isSafe(key)) {
      throw new InvalidRequestException("Idempotency-Key must be 1-" + IdempotentAnswers.MAX_KEY_LENGTH
          + " printable characters.");
    }
    return key;
  }

  /** How long a repeat waits for the request in flight with its key: {@code Prefer: wait=N}, at most the default. */
  Duration waitOf(HttpRequest request) {
    Duration most = deps.settings().requests().upstreamTimeout().multipliedBy(2);
    Optional<String> prefer = request.getHeader("Prefer").map(HttpHeader::value);
    if (prefer.isPresent()) {
      Matcher m = WAIT.matcher(prefer.get());
      if (m.find()) {
        Duration asked = Duration.ofSeconds(Long.parseLong(m.group(1)));
        return asked.compareTo(most) < 0 ? asked : most;
      }
    }
    return most;
  }

  /** {@code admit} runs the call (having claimed the key), as any other. */
  CompletionStage<HttpResponse> handle(ProxyCall call, String key, Duration wait,
      Function<ProxyCall, CompletionStage<HttpResponse>> admit) {
    return attempt(call, key, System.nanoTime() + wait.toNanos(), admit);
  }

  private CompletionStage<HttpResponse> attempt(ProxyCall call, String key, long waitUntilNanos,
      Function<ProxyCall, CompletionStage<HttpResponse>> admit) {
    return deps.idempotency().claim(call.key().orgId(), key, call.provider().id().id() + call.upstreamPath(),
            call.clientBody())
        .handle((claim, failure) -> {
          if (failure != null) {
            log.atWarn().setCause(failure).addKeyValue("request_id", call.requestId())
                .log("idempotency key could not be claimed: the database did not answer");
            return done(refuse(call, ErrorKind.UNAVAILABLE,
                "The gateway could not reach its database to check the Idempotency-Key; please retry shortly."));
          }
          if (claim == Claimed.INSTANCE) {
            return admit.apply(call.claiming(key));
          } else if (claim == Mismatch.INSTANCE) {
            return done(refuse(call, ErrorKind.IDEMPOTENCY_MISMATCH,
                "This Idempotency-Key was used for a different request (another path or body)."));
          } else if (claim instanceof Stored stored) {
            return replay(call, stored);
          } else if (System.nanoTime() >= waitUntilNanos) {
            return done(refuse(call, ErrorKind.IDEMPOTENCY_CONFLICT,
                "A request with this Idempotency-Key is still in flight; retry once it has ended."));
          }
          return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS))
              .thenCompose(later -> attempt(call, key, waitUntilNanos, admit));
        })
        .thenCompose(Function.identity());
  }

  /** The stored answer again, to a key the org still accepts. */
  private CompletionStage<HttpResponse> replay(ProxyCall call, Stored stored) {
    if (stored.body() == null) {
      return done(refuse(call, ErrorKind.IDEMPOTENCY_CONFLICT, "The answer to this Idempotency-Key was larger than"
          + " this gateway keeps, so it cannot be replayed; send the request with a new key."));
    }
    CompletionStage<Admission> access = Stages.direct(deps.sharding().entityRefFor(OrgEntity.TYPE_KEY, call.key().orgId())
        .ask(replyTo -> new OrgCommand.CheckKey(call.key().keyId(), call.secretHash(), replyTo),
            deps.settings().admission().timeout()));
    return access.handle((answer, failure) -> {
      if (failure != null) {
        return refuse(call, ErrorKind.UNAVAILABLE,
            "The gateway could not reach this organization's quota keeper in time. Please retry shortly.");
      }
      if (answer instanceof Admission.Denied denied) {
        deps.accessLog().refused(call.provider().id().id(), call.requestId(), GatewayResponses.denial(denied).status(),
            GatewayResponses.denial(denied).kind());
        return GatewayResponses.error(call.provider().errors(), GatewayResponses.denial(denied), call.requestId(), 0,
            null, deps.clock().millis());
      }
      deps.metrics().idempotentReplay(call.provider().id().id());
      return IdempotentAnswers.replay(stored);
    });
  }

  private HttpResponse refuse(ProxyCall call, ErrorKind kind, String message) {
    GatewayError error = GatewayError.of(kind, message);
    deps.metrics().request(call.provider().id().id(), "none", error.status());
    deps.accessLog().refused(call.provider().id().id(), call.requestId(), error.status(), error.kind());
    return GatewayResponses.error(call.provider().errors(), error, call.requestId(), 0, null, deps.clock().millis());
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
