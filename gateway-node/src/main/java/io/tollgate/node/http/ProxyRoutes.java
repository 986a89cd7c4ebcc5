package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import org.apache.pekko.http.javadsl.server.Route;

/**
 * The proxy API for every provider (see {@link ProxyTarget} for the paths). Routing only; the intake
 * decides. A path no provider serves falls through to the other routes.
 */
public final class ProxyRoutes {
  private final ProxyIntake intake;

  public ProxyRoutes(ProxyIntake intake) {
    this.intake = intake;
  }

  public Route routes() {
    return post(() -> extractRequest(request -> ProxyTarget.of(request.getUri().path())
        .<Route>map(target -> completeWithFuture(intake.handle(target, request)))
        .orElseGet(() -> reject())));
  }
}
