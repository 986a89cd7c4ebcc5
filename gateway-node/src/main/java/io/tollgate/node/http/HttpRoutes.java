package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;

import io.tollgate.node.admin.AdminRoutes;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.time.Clock;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route of a node, and what answers when none matches or something breaks. */
public final class HttpRoutes {
  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);

  private HttpRoutes() {}

  public static Route all(OpsRoutes ops, AdminRoutes admin, ProxyRoutes proxy, Clock clock) {
    var openAiErrors = Providers.get(ProviderId.OPENAI).errors();
    ExceptionHandler internalError = ExceptionHandler.newBuilder().matchAny(e -> {
      log.atError().setCause(e).log("unexpected error serving a request");
      return complete(GatewayResponses.error(openAiErrors,
          GatewayError.of(ErrorKind.INTERNAL, "The gateway failed to handle this request."), "none", 0, null, clock.millis()));
    }).build();
    Route notFound = extractRequest(request -> complete(GatewayResponses.error(openAiErrors,
        GatewayError.of(ErrorKind.NOT_FOUND, "Unknown request URL: " + request.method().value() + " "
            + request.getUri().path() + "."), "none", 0, null, clock.millis())));
    // The proxy first: it carries nearly all traffic, and every route tried before it costs a rejection.
    return handleExceptions(internalError, () -> concat(proxy.routes(), ops.routes(), admin.routes(), notFound));
  }
}
