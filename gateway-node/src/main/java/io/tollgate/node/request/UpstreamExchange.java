package io.tollgate.node.request;

import io.tollgate.node.config.ProviderEndpoint;
import io.tollgate.node.stream.Bodies;
import io.tollgate.node.upstream.Deployment;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.KeyPlacement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * One call to the provider: the request built from the client's, its answer told apart (a stream to pass on
 * as it comes, or a whole body to read), and its failures turned into errors for the caller. No actor in it;
 * one per node.
 */
public final class UpstreamExchange {
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;
  static final long MAX_ERROR_BYTES = 1024 * 1024;
  static final GatewayError BROKE_OFF = GatewayError.of(ErrorKind.UPSTREAM_FAILURE, "The provider's answer broke off.");

  private final Duration timeout;
  private final Materializer materializer;

  /** The call failed before any answer: what the caller is told, and the outcome recorded. */
  public record Failure(GatewayError error, Outcome outcome, Throwable cause) {}

  public UpstreamExchange(Duration timeout, Materializer materializer) {
    this.timeout = timeout;
    this.materializer = materializer;
  }

  /** One try of a call: the deployment it went to, and its answer's headers. */
  public record Attempt(Deployment deployment, CompletableFuture<HttpResponse> answer) {}

  /**
   * Sends the call to a deployment of its provider not in {@code tried}; the answer's headers must arrive within
   * the upstream timeout. Null when every deployment has been tried.
   */
  public Attempt send(ProxyCall call, Set<Deployment> tried) {
    Deployment deployment = call.upstream().pick(tried);
    if (deployment == null) {
      return null;
    }
    return new Attempt(deployment, deployment.client().send(request(call, deployment.endpoint())).toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** How an answer's headers tell a deployment's health: a 5xx failed, a 429 rate-limited it, anything else answered. */
  static Deployment.Result result(HttpResponse answer) {
    int status = answer.status().intValue();
    return status >= 500 ? Deployment.Result.FAILED : status == 429 ? Deployment.Result.RATE_LIMITED
        : Deployment.Result.ANSWERED;
  }

  /** The wait a 429 asks for ({@code Retry-After} in seconds or as a date), or {@code otherwise}. */
  static long retryAfterMillis(HttpResponse answer, long now, long otherwise) {
    String value = answer.getHeader("Retry-After").map(h -> h.value().trim()).orElse("");
    if (value.isEmpty()) {
      return otherwise;
    }
    try {
      return Math.min(Duration.ofMinutes(10).toMillis(), Math.max(0, Long.parseLong(value) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.min(Duration.ofMinutes(10).toMillis(), Math.max(0, at - now));
      } catch (DateTimeParseException neither) {
        return otherwise;
      }
    }
  }

  /**
   * The client's call as a deployment takes it: its path under the deployment's base, the node's key for it,
   * the body to send.
   */
  static HttpRequest request(ProxyCall call, ProviderEndpoint endpoint) {
    List<HttpHeader> headers = new ArrayList<>(call.forwardHeaders());
    if (endpoint.apiKey() != null) {
      KeyPlacement auth = call.provider().upstreamAuth();
      headers.add(RawHeader.create(auth.header(), auth.prefix() + endpoint.apiKey()));
    }
    return HttpRequest.create(endpoint.basePath() + call.upstreamPath()).withMethod(method(call.method()))
        .addHeaders(headers).withEntity(entity(call));
  }

  /** JSON as JSON; a form or anything else with the client's own content type; no body as none. */
  private static RequestEntity entity(ProxyCall call) {
    if (call.endpoint().body() == Endpoint.Body.JSON) {
      return HttpEntities.create(ContentTypes.APPLICATION_JSON, call.upstreamBody());
    }
    if (call.upstreamBody().length == 0 || call.contentType() == null) {
      return HttpEntities.EMPTY;
    }
    return HttpEntities.create(ContentTypes.parse(call.contentType()), call.upstreamBody());
  }

  private static HttpMethod method(String name) {
    return HttpMethods.lookup(name).orElse(HttpMethods.POST);
  }

  /** A successful event stream the client asked for is passed on as it comes; anything else is read whole. */
  static boolean streams(ProxyCall call, HttpResponse answer) {
    return succeeded(answer) && call.facts().stream()
        && answer.entity().getContentType().mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
  }

  /** Reads a whole answer: a success up to 64 MiB, an error up to 1 MiB, within the upstream timeout. */
  public CompletableFuture<HttpEntity.Strict> body(HttpResponse answer) {
    long maxBytes = succeeded(answer) ? MAX_ANSWER_BYTES : MAX_ERROR_BYTES;
    return Bodies.strict(answer.entity(), maxBytes, timeout.toMillis(), materializer).toCompletableFuture();
  }

  /** No answer came: a timeout, or a provider that could not be reached. */
  Failure failure(Throwable thrown) {
    Throwable cause = unwrap(thrown);
    if (cause instanceof TimeoutException) {
      return new Failure(GatewayError.of(ErrorKind.UPSTREAM_TIMEOUT,
          "The provider did not answer within " + timeout.toSeconds() + "s."), Outcome.UPSTREAM_TIMEOUT, cause);
    }
    return new Failure(GatewayError.of(ErrorKind.UPSTREAM_FAILURE, "The provider could not be reached."),
        Outcome.UPSTREAM_UNREACHABLE, cause);
  }

  static boolean succeeded(HttpResponse answer) {
    int status = answer.status().intValue();
    return status >= 200 && status < 300;
  }

  /** The status the client gets for the provider's own error: a server error becomes a 502, so no one mistakes it for ours. */
  static int passedOnStatus(int upstreamStatus) {
    return upstreamStatus >= 500 ? 502 : upstreamStatus;
  }

  /** The provider's own error, passed on with the gateway's headers. */
  static HttpResponse passOnError(HttpResponse answer, HttpEntity.Strict body, List<HttpHeader> headers) {
    int status = answer.status().intValue();
    return HttpResponse.create().withStatus(status >= 500 ? StatusCodes.BAD_GATEWAY : answer.status()).addHeaders(headers)
        .withEntity(HttpEntities.create(body.getContentType(), body.getData()));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
