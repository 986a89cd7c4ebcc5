package io.tollgate.node.request;

import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.ErrorFormat;
import io.tollgate.protocol.provider.GatewayError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Builds what the client gets: gateway errors in its provider's format, and the gateway's own headers. */
public final class GatewayResponses {
  public static final String REQUEST_ID = "X-Request-ID";
  public static final String COST = "X-Tollgate-Cost-USD";
  public static final String SERVED_BY = "X-Tollgate-Served-By";
  public static final String ERROR_SOURCE = "X-Tollgate-Error";
  public static final String LIMIT_SCOPE = "X-Tollgate-Limit-Scope";
  public static final String BUDGET_REMAINING = "X-Tollgate-Budget-Remaining-USD";
  public static final String BUDGET_SCOPE = "X-Tollgate-Budget-Scope";

  /** Upstream response headers the client must not get: hop-by-hop, the entity's own, and the gateway's. */
  private static final Set<String> DROPPED_UPSTREAM = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length", "content-type", "date",
      "server", "set-cookie", "openai-organization", "openai-project", "x-request-id");

  private GatewayResponses() {}

  public static HttpResponse error(ErrorFormat format, GatewayError error, String requestId, long retryAfterSeconds,
      RateLimitStatus limits, long nowMillis) {
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create(REQUEST_ID, requestId));
    headers.add(RawHeader.create(ERROR_SOURCE, error.kind().name().toLowerCase(Locale.ROOT)));
    if (retryAfterSeconds > 0) {
      headers.add(RawHeader.create("Retry-After", Long.toString(retryAfterSeconds)));
    }
    addRateLimits(headers, limits, nowMillis);
    return HttpResponse.create()
        .withStatus(StatusCodes.get(error.status()))
        .addHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, format.render(error)));
  }

  /** What the caller is told when the org did not admit its request. */
  public static GatewayError denial(Denied denied) {
    return switch (denied.reason()) {
      case REQUESTS_PER_MINUTE, REQUESTS_PER_HOUR, REQUESTS_PER_DAY, TOO_MANY_SCOPE_VALUES ->
          new GatewayError(ErrorKind.RATE_LIMITED, denied.message(), "requests");
      case TOKENS_PER_MINUTE, TOKENS_PER_HOUR, TOKENS_PER_DAY ->
          new GatewayError(ErrorKind.RATE_LIMITED, denied.message(), "tokens");
      default -> GatewayError.of(denied.reason().errorKind(), denied.message());
    };
  }

  /**
   * The refusal of a denied request: the error in the caller's format, the scope whose limit refused it, and
   * {@code x-should-retry: false} where retrying soon cannot succeed (the SDKs would otherwise sleep for days).
   */
  public static HttpResponse denied(ErrorFormat format, Denied denied, String requestId, long nowMillis) {
    HttpResponse response = error(format, denial(denied), requestId, denied.retryAfterSeconds(), denied.limits(),
        nowMillis);
    List<HttpHeader> extra = new ArrayList<>(2);
    if (denied.scope() != null) {
      extra.add(RawHeader.create(LIMIT_SCOPE, denied.scope()));
    }
    if (denied.retryAfterSeconds() == 0 && denied.limits() != null) {
      extra.add(RawHeader.create("x-should-retry", "false"));
    }
    return extra.isEmpty() ? response : response.addHeaders(extra);
  }

  /** What served a call: {@code openai/gpt-4o-mini}, the provider and the model it was sent to. */
  static HttpHeader servedBy(ProxyCall call) {
    return RawHeader.create(SERVED_BY, call.provider().id().id() + "/" + call.facts().model());
  }

  /** The upstream's headers that pass to the client, then the gateway's own. */
  public static List<HttpHeader> responseHeaders(Iterable<HttpHeader> upstream, String requestId, RateLimitStatus limits,
      long nowMillis) {
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : upstream) {
      String name = h.lowercaseName();
      if (name.equals("x-request-id")) {
        headers.add(RawHeader.create("X-Upstream-Request-ID", h.value()));
      } else if (!DROPPED_UPSTREAM.contains(name) && !name.startsWith("x-ratelimit-")) {
        headers.add(h);
      }
    }
    headers.add(RawHeader.create(REQUEST_ID, requestId));
    addRateLimits(headers, limits, nowMillis);
    return headers;
  }

  /**
   * OpenAI's rate-limit headers for the tightest request and token limits of any scope, and the tightest
   * budget's remainder (each omitted where unlimited).
   */
  static void addRateLimits(List<HttpHeader> headers, RateLimitStatus limits, long nowMillis) {
    if (limits == null) {
      return;
    }
    if (limits.requestLimit() != null) {
      headers.add(RawHeader.create("x-ratelimit-limit-requests", limits.requestLimit().toString()));
      headers.add(RawHeader.create("x-ratelimit-remaining-requests", Long.toString(limits.requestsRemaining())));
      headers.add(RawHeader.create("x-ratelimit-reset-requests", seconds(limits.resetAtMillis(), nowMillis)));
    }
    if (limits.tokenLimit() != null) {
      headers.add(RawHeader.create("x-ratelimit-limit-tokens", limits.tokenLimit().toString()));
      headers.add(RawHeader.create("x-ratelimit-remaining-tokens", Long.toString(limits.tokensRemaining())));
      headers.add(RawHeader.create("x-ratelimit-reset-tokens", seconds(limits.tokensResetAtMillis(), nowMillis)));
    }
    if (limits.budgetScope() != null) {
      headers.add(RawHeader.create(BUDGET_REMAINING, Money.formatUsd(limits.budgetRemainingNanos())));
      headers.add(RawHeader.create(BUDGET_SCOPE, limits.budgetScope()));
    }
  }

  private static String seconds(long atMillis, long nowMillis) {
    return Math.max(0, (atMillis - nowMillis + 999) / 1000) + "s";
  }
}
