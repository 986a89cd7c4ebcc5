package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;

import io.tollgate.node.admin.AdminRoutes;
import io.tollgate.node.console.ConsoleRoutes;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.japi.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request a node serves. Proxy calls (see {@link ProxyTarget} for the paths), nearly all of the
 * traffic, go straight to the {@link ProxyIntake}: a path lookup instead of the routing DSL's directives,
 * which cost a few percent of the CPU per request. The rest (ops, admin, unknown URLs) goes through the
 * routes. Routing only; the intake decides.
 */
public final class HttpRoutes implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
  private static final ErrorFormat OPENAI_ERRORS = Providers.get(ProviderId.OPENAI).errors();

  private final ProxyIntake intake;
  private final Function<HttpRequest, CompletionStage<HttpResponse>> others;
  private final Clock clock;
  private final CorsPolicy cors;
  private final ModelListing models;
  private final OutcomeIntake outcomes;
  private final ClassicActorSystemProvider system;

  public HttpRoutes(ClassicActorSystemProvider system, ProxyIntake intake, ModelListing models, OutcomeIntake outcomes,
      OpsRoutes ops, AdminRoutes admin, CorsPolicy cors, Clock clock) {
    this.intake = intake;
    this.models = models;
    this.outcomes = outcomes;
    this.system = system;
    this.cors = cors;
    this.clock = clock;
    ExceptionHandler internalError = ExceptionHandler.newBuilder().matchAny(e -> complete(internalError(OPENAI_ERRORS, e)))
        .build();
    var notFound = extractRequest(request -> complete(GatewayResponses.error(ProxyTarget.errorsFor(request.getUri().path()),
        GatewayError.of(ErrorKind.NOT_FOUND, "Unknown request URL: " + request.method().value() + " "
            + request.getUri().path() + "."), "none", 0, null, clock.millis())));
    this.others = handleExceptions(internalError, () -> concat(ops.probes(), admin.routes(), new ConsoleRoutes().routes(),
        notFound)).handler(system);
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) throws Exception {
    HttpMethod method = request.method();
    if (method.equals(HttpMethods.GET)) {
      Optional<ModelsTarget> listing = ModelsTarget.of(request);
      if (listing.isPresent()) {
        return readable(request, models.handle(listing.get(), request));
      }
    }
    if (method.equals(HttpMethods.POST) && request.getUri().path().equals(OutcomeIntake.PATH)) {
      return readable(request, outcomes.handle(request));
    }
    if (!method.equals(HttpMethods.OPTIONS) && !method.equals(HttpMethods.HEAD)) {
      Optional<ProxyTarget> target = ProxyTarget.of(method.value(), request.getUri().path());
      if (target.isPresent()) {
        CompletionStage<HttpResponse> answer;
        try {
          answer = intake.handle(target.get(), request).exceptionally(e -> internalError(target.get().provider().errors(), e));
        } catch (RuntimeException e) {
          answer = CompletableFuture.completedFuture(internalError(target.get().provider().errors(), e));
        }
        return readable(request, answer);
      }
    }
    if (cors.enabled() && request.method().equals(HttpMethods.OPTIONS)
        && (proxied(request.getUri().path()) || ModelsTarget.of(request).isPresent())) {
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(cors.preflight(request));
    }
    return others.apply(request);
  }

  /** Whether some method of a proxied API is at this path (a preflight names the method in a header of its own). */
  private static boolean proxied(String path) {
    for (String method : new String[] {"POST", "GET", "DELETE", "PATCH"}) {
      if (ProxyTarget.of(method, path).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** The answer as a browser page of an allowed origin may read it (nothing to do when CORS is off). */
  private CompletionStage<HttpResponse> readable(HttpRequest request, CompletionStage<HttpResponse> answer) {
    return cors.enabled() ? answer.thenApply(r -> cors.mark(request, r)) : answer;
  }

  private HttpResponse internalError(ErrorFormat format, Throwable e) {
    log.atError().setCause(e).log("unexpected error serving a request");
    return GatewayResponses.error(format, GatewayError.of(ErrorKind.INTERNAL,
        "The gateway failed to handle this request."), "none", 0, null, clock.millis());
  }
}
