package io.tollgate.node.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Browser calls of the proxy routes from the origins the operator allows ({@code TOLLGATE_CORS_ORIGINS}):
 * preflights answered, and answers marked readable by that origin with the gateway's own headers exposed.
 */
public final class CorsPolicy {
  /** What a browser page may read of an answer besides the simple headers. */
  private static final String EXPOSED = "X-Request-ID, X-Tollgate-Cost-USD, X-Tollgate-Served-By, X-Tollgate-Error,"
      + " X-Tollgate-Limit-Scope,"
      + " X-Tollgate-Budget-Remaining-USD, X-Tollgate-Budget-Scope, Retry-After, x-should-retry,"
      + " x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests,"
      + " x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens";

  private final List<String> origins;
  private final boolean any;

  public CorsPolicy(List<String> origins) {
    this.origins = List.copyOf(origins);
    this.any = origins.contains("*");
  }

  private Optional<String> allowedOrigin(HttpRequest request) {
    return request.getHeader("Origin").map(HttpHeader::value).filter(o -> any || origins.contains(o));
  }

  /** The answer to a preflight ({@code OPTIONS}) of a proxy route: allowed, or 403 for an origin not allowed. */
  public HttpResponse preflight(HttpRequest request) {
    Optional<String> origin = allowedOrigin(request);
    if (origin.isEmpty()) {
      return HttpResponse.create().withStatus(StatusCodes.FORBIDDEN).addHeader(RawHeader.create("Vary", "Origin"));
    }
    List<HttpHeader> headers = new ArrayList<>(6);
    headers.add(RawHeader.create("Access-Control-Allow-Origin", origin.get()));
    headers.add(RawHeader.create("Access-Control-Allow-Methods", "POST, GET, OPTIONS"));
    // The SDKs send headers of their own (x-stainless-*, anthropic-version): allow what the browser asks for.
    request.getHeader("Access-Control-Request-Headers").ifPresent(h ->
        headers.add(RawHeader.create("Access-Control-Allow-Headers", h.value())));
    headers.add(RawHeader.create("Access-Control-Max-Age", "600"));
    headers.add(RawHeader.create("Vary", "Origin"));
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(headers);
  }

  /** The answer to a call from an allowed origin, readable by it; any other answer as it is. */
  public HttpResponse mark(HttpRequest request, HttpResponse response) {
    Optional<String> origin = allowedOrigin(request);
    if (origin.isEmpty()) {
      return response;
    }
    return response.addHeaders(List.of(RawHeader.create("Access-Control-Allow-Origin", origin.get()),
        RawHeader.create("Access-Control-Expose-Headers", EXPOSED), RawHeader.create("Vary", "Origin")));
  }

  public boolean enabled() {
    return !origins.isEmpty();
  }
}
