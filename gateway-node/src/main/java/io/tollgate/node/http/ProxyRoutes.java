package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The proxy API: each provider's SDK paths, both as the provider serves them ({@code /v1/chat/completions})
 * and under an explicit provider prefix ({@code /openai/chat/completions}). Routing only; the intake decides.
 */
public final class ProxyRoutes {
  private final ProxyIntake intake;

  public ProxyRoutes(ProxyIntake intake) {
    this.intake = intake;
  }

  public Route routes() {
    return post(() -> concat(
        path(segment("v1").slash("chat").slash("completions"), () -> proxy(ProviderId.OPENAI, "/chat/completions")),
        path(segment("openai").slash("chat").slash("completions"), () -> proxy(ProviderId.OPENAI, "/chat/completions"))));
  }

  private Route proxy(ProviderId provider, String upstreamPath) {
    return extractRequest(request -> completeWithFuture(
        intake.handle(Providers.get(provider), upstreamPath + query(request), request)));
  }

  private static String query(HttpRequest request) {
    return request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
  }
}
