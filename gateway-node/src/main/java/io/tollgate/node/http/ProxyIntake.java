package io.tollgate.node.http;

import io.tollgate.node.stream.Bodies;
import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.request.CallOptions;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.node.request.ProxyCall;
import io.tollgate.node.request.RequestActor;
import io.tollgate.node.request.RequestDeps;
import io.tollgate.node.request.ResponseCache;
import io.tollgate.node.upstream.ProviderPool;
import io.tollgate.protocol.RequestIds;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.KeyPlacement;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.RequestFacts;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * Turns an HTTP request into a {@link ProxyCall} and hands it to a new {@link RequestActor}: checks the
 * provider, body size, key format, attribution and body before anything is reserved, so every refusal
 * here is cheap and in the caller's provider format.
 */
public final class ProxyIntake {
  private static final long BODY_READ_TIMEOUT_MS = 60_000;

  private final ActorSystem<?> system;
  private final RequestDeps deps;
  private final KeyHasher hasher;
  private final UpstreamHeaders upstreamHeaders;
  private final IdempotentIntake idempotent;

  public ProxyIntake(ActorSystem<?> system, RequestDeps deps, KeyHasher hasher) {
    this.system = system;
    this.deps = deps;
    this.hasher = hasher;
    this.upstreamHeaders = new UpstreamHeaders(deps.settings().providers().forwardHeaders());
    this.idempotent = new IdempotentIntake(deps);
  }

  public CompletionStage<HttpResponse> handle(ProxyTarget target, HttpRequest request) {
    long receivedNanos = System.nanoTime();
    Provider provider = target.provider();
    String requestId = newRequestId(deps.clock().millis());
    Optional<ProviderPool> upstream = deps.upstreams().of(provider.id());
    if (upstream.isEmpty()) {
      return refuse(request, provider, requestId, GatewayError.of(ErrorKind.PROVIDER_NOT_CONFIGURED,
          "The provider '" + provider.id().id() + "' is not configured on this gateway."), 0);
    }
    if (deps.inFlight().count() >= deps.settings().requests().maxInFlight()) {
      return refuse(request, provider, requestId, atCapacity(), 1); // cheap early check; tryStart decides
    }
    long max = deps.settings().requests().maxBodyBytes();
    if (request.entity().getContentLengthOption().orElse(0) > max) {
      return refuse(request, provider, requestId, tooLarge(max), 0);
    }
    Optional<ClientKey> key = presentedKey(provider, request).flatMap(ClientKey::parse);
    if (key.isEmpty()) {
      return refuse(request, provider, requestId, GatewayError.of(ErrorKind.INVALID_KEY,
          "Missing or malformed API key. Send your Tollgate key (tg_...) where your SDK sends its API key."), 0);
    }
    return Bodies.strict(request.entity(), max, BODY_READ_TIMEOUT_MS, deps.materializer())
        .thenCompose(strict -> accept(target, upstream.get(), request, strict.getData().toArray(), key.get(),
            requestId, receivedNanos))
        .exceptionally(failure -> {
          GatewayError error = causedBySize(failure)
              ? tooLarge(max)
              : GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body could not be read.");
          return refusal(provider, requestId, error, 0);
        });
  }

  private CompletionStage<HttpResponse> accept(ProxyTarget target, ProviderPool upstream, HttpRequest request,
      byte[] body, ClientKey key, String requestId, long receivedNanos) {
    Provider provider = target.provider();
    Endpoint endpoint = target.endpoint();
    RequestFacts facts;
    Attribution attribution;
    List<String> fallbacks;
    String idempotencyKey;
    ResponseCache.Choice cache;
    try {
      String pathModel = endpoint.pathModel() == null ? null
          : deps.settings().providers().azureDeployments().getOrDefault(endpoint.pathModel(), endpoint.pathModel());
      facts = endpoint.inspector().inspect(body, contentType(endpoint, request), pathModel, endpoint.pathStream());
      attribution = AttributionHeaders.read(request, facts.user());
      fallbacks = FallbacksHeader.read(request, provider, endpoint);
      // Reading and deleting are idempotent already: a key means something only on a POST.
      idempotencyKey = request.method().value().equals("POST") ? IdempotentIntake.key(request) : null;
      cache = cacheChoice(request);
    } catch (InvalidRequestException e) {
      return CompletableFuture.completedFuture(
          refusal(provider, requestId, GatewayError.of(ErrorKind.INVALID_REQUEST, e.getMessage()), 0));
    }
    ProxyCall call;
    try {
      call = new ProxyCall(requestId, receivedNanos, provider, endpoint, upstream,
          target.upstreamPath() + upstreamQuery(request), request.method().value(), contentType(endpoint, request),
          upstreamHeaders.of(provider, request), body,
          endpoint.inspector().askForStreamUsage(body, facts), facts, key, hasher.hash(key.secret()), attribution,
          new CallOptions(fallbacks, null, cache, request.getHeader("traceparent").map(HttpHeader::value).orElse(null)),
          new CompletableFuture<>());
    } catch (InvalidRequestException e) {
      return CompletableFuture.completedFuture(
          refusal(provider, requestId, GatewayError.of(ErrorKind.INVALID_REQUEST, e.getMessage()), 0));
    }
    return idempotencyKey == null ? admit(call)
        : idempotent.handle(call, idempotencyKey, idempotent.waitOf(request), this::admit);
  }

  /** Takes a place in flight and starts the call's actor, if the node has room; a refusal gives back its key's claim. */
  private CompletionStage<HttpResponse> admit(ProxyCall call) {
    if (!deps.inFlight().tryStart(deps.settings().requests().maxInFlight())) {
      return CompletableFuture.completedFuture(refused(call, atCapacity()));
    }
    return deps.inFlight().journalRoom(deps.settings().admission().timeout()).thenCompose(room -> {
      if (!room) {
        deps.inFlight().finished();
        return CompletableFuture.completedFuture(refused(call, GatewayError.of(ErrorKind.UNAVAILABLE,
            "This gateway node's journal is behind; please retry shortly.")));
      }
      return start(call);
    });
  }

  /** The node could not take the call (retry in a second). */
  private HttpResponse refused(ProxyCall call, GatewayError error) {
    if (call.idempotencyKey() != null) {
      deps.idempotency().release(call);
    }
    return refusal(call.provider(), call.requestId(), error, 1);
  }

  private CompletionStage<HttpResponse> start(ProxyCall call) {
    try {
      system.systemActorOf(RequestActor.create(call, deps), "req-" + call.requestId(), Props.empty());
    } catch (RuntimeException e) { // the actor system is shutting down
      deps.inFlight().finished();
      return CompletableFuture.completedFuture(refused(call,
          GatewayError.of(ErrorKind.UNAVAILABLE, "This gateway node is shutting down; please retry.")));
    }
    return call.responder();
  }

  private CompletionStage<HttpResponse> refuse(HttpRequest request, Provider provider, String requestId, GatewayError error,
      long retryAfterSeconds) {
    request.discardEntityBytes(deps.materializer());
    return CompletableFuture.completedFuture(refusal(provider, requestId, error, retryAfterSeconds));
  }

  /** A request refused before it reached an org: answered in the provider's format, and logged like any other. */
  private HttpResponse refusal(Provider provider, String requestId, GatewayError error, long retryAfterSeconds) {
    deps.metrics().request(provider.id().id(), "none", error.status());
    deps.accessLog().refused(provider.id().id(), requestId, error.status(), error.kind());
    return GatewayResponses.error(provider.errors(), error, requestId, retryAfterSeconds, null, deps.clock().millis());
  }

  /** The client's content type where it matters (a form's boundary); a JSON body goes upstream as JSON. */
  private static String contentType(Endpoint endpoint, HttpRequest request) {
    return endpoint.body() == Endpoint.Body.JSON ? null : request.entity().getContentType().toString();
  }

  /** {@code Cache-Control: no-cache} (or no-store) bypasses the cache; {@code X-Tollgate-Cache: use} asks for it. */
  private static ResponseCache.Choice cacheChoice(HttpRequest request) {
    String control = request.getHeader("Cache-Control").map(HttpHeader::value).orElse("").toLowerCase(Locale.ROOT);
    if (control.contains("no-cache") || control.contains("no-store")) {
      return ResponseCache.Choice.BYPASS;
    }
    Optional<String> asked = request.getHeader(ResponseCache.HEADER).map(h -> h.value().trim());
    if (asked.isEmpty()) {
      return ResponseCache.Choice.POLICY;
    }
    if (!asked.get().equalsIgnoreCase("use")) {
      throw new InvalidRequestException(ResponseCache.HEADER + " takes 'use' (to bypass the cache, send"
          + " Cache-Control: no-cache).");
    }
    return ResponseCache.Choice.USE;
  }

  private static boolean causedBySize(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return true;
      }
    }
    return false;
  }

  private static GatewayError atCapacity() {
    return GatewayError.of(ErrorKind.UNAVAILABLE, "This gateway node is at capacity; please retry shortly.");
  }

  private static GatewayError tooLarge(long max) {
    return GatewayError.of(ErrorKind.BODY_TOO_LARGE, "The request body is larger than this gateway accepts (" + max + " bytes).");
  }

  /** The key where this provider's SDK puts it: a header (Bearer, x-api-key, ...) or Gemini's ?key=. */
  static Optional<String> presentedKey(Provider provider, HttpRequest request) {
    for (KeyPlacement placement : provider.clientKeys()) {
      Optional<String> value = placement.header() != null
          ? request.getHeader(placement.header()).map(HttpHeader::value)
              .filter(v -> v.regionMatches(true, 0, placement.prefix(), 0, placement.prefix().length()))
              .map(v -> v.substring(placement.prefix().length()).trim())
          : request.getUri().query().get(placement.queryParam());
      if (value.isPresent() && !value.get().isEmpty()) {
        return value;
      }
    }
    return Optional.empty();
  }

  /** The client's query string minus Gemini's {@code key}: the gateway's key never goes upstream. */
  private static String upstreamQuery(HttpRequest request) {
    Optional<String> raw = request.getUri().rawQueryString();
    if (raw.isEmpty() || raw.get().isEmpty()) {
      return "";
    }
    String kept = java.util.Arrays.stream(raw.get().split("&"))
        .filter(p -> !p.equals("key") && !p.startsWith("key="))
        .collect(java.util.stream.Collectors.joining("&"));
    return kept.isEmpty() ? "" : "?" + kept;
  }

  static String newRequestId(long nowMillis) {
    return RequestIds.next(nowMillis);
  }
}
