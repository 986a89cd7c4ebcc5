package io.tollgate.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A fast fake OpenAI chat-completions server for tests, demos and load: non-streamed and streamed answers
 * with realistic usage, configurable latency and chunking, and injected faults. It answers on any path
 * ending in {@code /chat/completions}, so one simulator can stand for several deployments under different path
 * prefixes; {@code PUT /sim/faults {"/east/": "500", "/north/": "hang"}} makes every request whose path starts
 * with a prefix fail so from then on ({@code 429}, {@code 500}, {@code hang}: no answer for ten minutes), and
 * {@code {}} ends them. {@code POST /v1/traces} takes OTLP spans and drops them.
 */
public final class UpstreamSimulator implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final boolean ownsSystem;
  private final ServerBinding binding;
  private final SimulatorSettings settings;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong streamsCancelled = new AtomicLong();
  private final AtomicReference<ReceivedRequest> lastRequest = new AtomicReference<>();
  private final Map<String, Replay> replays = new ConcurrentHashMap<>();
  /** Faults by path prefix, set over HTTP while the simulator runs. */
  private volatile Map<String, String> faults = Map.of();

  /** A recorded provider answer, served byte for byte to requests naming it in {@code X-Sim-Replay}. */
  private record Replay(byte[] body, int status, boolean eventStream, String contentType) {}

  /** The last request the simulator received, for tests to check what the gateway sent upstream. */
  public record ReceivedRequest(String path, Map<String, String> headers, String body, String method) {
    public ReceivedRequest(String path, Map<String, String> headers, String body) {
      this(path, headers, body, "POST");
    }
  }

  private UpstreamSimulator(ActorSystem<Void> system, boolean ownsSystem, String host, int port, SimulatorSettings settings) {
    this.system = system;
    this.ownsSystem = ownsSystem;
    this.settings = settings;
    try {
      this.binding = Http.get(system).newServerAt(host, port).bind(this::handle).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (ownsSystem) {
        system.terminate();
      }
      throw new IllegalStateException("simulator could not bind " + host + ":" + port, e);
    }
  }

  /** Starts on its own actor system (port 0 picks a free port). */
  public static UpstreamSimulator start(String host, int port, SimulatorSettings settings) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "simulator",
        com.typesafe.config.ConfigFactory.parseString("""
            pekko.http.server.idle-timeout = 600s
            pekko.http.server.request-timeout = 600s
            pekko.http.server.backlog = 1024
            pekko.http.server.max-connections = 4096
            pekko.loglevel = WARNING
            """).withFallback(com.typesafe.config.ConfigFactory.load()));
    return new UpstreamSimulator(system, true, host, port, settings);
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The base URL an OpenAI SDK (or the gateway) would be configured with. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public long requests() {
    return requests.get();
  }

  public long streamsCancelled() {
    return streamsCancelled.get();
  }

  public Optional<ReceivedRequest> lastRequest() {
    return Optional.ofNullable(lastRequest.get());
  }

  /**
   * Registers a recorded answer: a request with {@code X-Sim-Replay: <name>} on any path and method gets these
   * bytes with this status, as an event stream when the name ends in {@code .sse}, as audio when in {@code .mp3},
   * as JSON lines when in {@code .jsonl}. Lets every provider's real samples run end to end through the gateway.
   */
  public void addReplay(String name, byte[] body, int status) {
    String type = name.endsWith(".sse") ? "text/event-stream" : name.endsWith(".mp3") ? "audio/mpeg"
        : name.endsWith(".jsonl") ? "application/octet-stream" : "application/json";
    replays.put(name, new Replay(body.clone(), status, name.endsWith(".sse"), type));
  }

  @Override
  public void close() {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().join();
    if (ownsSystem) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    Optional<Replay> replay = header(request, "X-Sim-Replay").map(replays::get);
    if (replay.isPresent()) {
      requests.incrementAndGet();
      return request.entity().toStrict(10_000, 64L * 1024 * 1024, Materializer.matFromSystem(system))
          .thenApply(strict -> replayed(request, strict.getData(), replay.get()));
    }
    if (request.method() == HttpMethods.PUT && request.getUri().path().equals("/sim/faults")) {
      return setFaults(request);
    }
    if (request.method() == HttpMethods.POST && request.getUri().path().equals("/v1/traces")) {
      request.discardEntityBytes(system); // a sink for a node's OTLP spans, when measuring what tracing costs
      return CompletableFuture.completedFuture(HttpResponse.create().withEntity(
          HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, new byte[0])));
    }
    if (request.method() != HttpMethods.POST || !request.getUri().path().endsWith("/chat/completions")) {
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.NOT_FOUND));
    }
    requests.incrementAndGet();
    // Chained on the completing thread: Pekko's Scala-backed stages would otherwise hop to the common pool,
    // which starts a thread per callback on small machines.
    CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    request.entity().toStrict(10_000, 64L * 1024 * 1024, Materializer.matFromSystem(system))
        .whenCompleteAsync((strict, failure) -> {
          if (failure != null) {
            response.completeExceptionally(failure);
          } else {
            respond(request, strict.getData()).whenComplete((r, f) -> {
              if (f != null) {
                response.completeExceptionally(f);
              } else {
                response.complete(r);
              }
            });
          }
        }, Runnable::run);
    return response;
  }

  /** The fault set for the path's prefix, or "" for none. */
  private String faultOf(String path) {
    for (Map.Entry<String, String> e : faults.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return "";
  }

  private CompletionStage<HttpResponse> setFaults(HttpRequest request) {
    return request.entity().toStrict(10_000, Materializer.matFromSystem(system)).thenApply(strict -> {
      try {
        Map<String, String> next = new java.util.HashMap<>();
        SimulatedCompletion.MAPPER.readTree(strict.getData().utf8String()).fields()
            .forEachRemaining(e -> next.put(e.getKey(), e.getValue().asText()));
        faults = Map.copyOf(next);
        return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
      } catch (IOException e) {
        return error(400, "invalid_request_error", "The faults must be a JSON object from path prefix to fault.");
      }
    });
  }

  private CompletionStage<HttpResponse> respond(HttpRequest request, ByteString body) {
    String bodyText = body.utf8String();
    lastRequest.set(new ReceivedRequest(request.getUri().path(), headers(request), bodyText));
    JsonNode json;
    try {
      json = SimulatedCompletion.MAPPER.readTree(bodyText);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(error(400, "invalid_request_error", "We could not parse the JSON body."));
    }
    String fault = header(request, "X-Sim-Fault").orElseGet(() -> faultOf(request.getUri().path()));
    if (fault.isEmpty() && settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
      fault = "500";
    }
    Duration latency = fault.equals("hang") ? Duration.ofMinutes(10)
        : header(request, "X-Sim-Latency-Ms").map(ms -> Duration.ofMillis(Long.parseLong(ms))).orElse(settings.latency());
    HttpResponse response = switch (fault.contains(":") ? fault.substring(0, fault.indexOf(':')) : fault) {
      case "429" -> error(429, "requests", "Rate limit reached for requests (simulated).")
          .addHeader(RawHeader.create("Retry-After", "1"));
      case "500" -> error(500, "server_error", "The server had an error while processing your request. Sorry about that!");
      default -> completion(request, json, fault);
    };
    if (latency.isZero()) {
      return CompletableFuture.completedFuture(response);
    }
    CompletableFuture<HttpResponse> delayed = new CompletableFuture<>();
    system.scheduler().scheduleOnce(latency, () -> delayed.complete(response), system.executionContext());
    return delayed;
  }

  private HttpResponse completion(HttpRequest request, JsonNode json, String fault) {
    SimulatedCompletion completion = new SimulatedCompletion(json, sequence.incrementAndGet(), settings.completionTokens(),
        header(request, "X-Sim-Cached-Tokens").map(Long::parseLong).orElse(null),
        header(request, "X-Sim-Reasoning-Tokens").map(Long::parseLong).orElse(null),
        header(request, "X-Sim-Completion-Tokens").map(Integer::parseInt).orElse(null));
    HttpResponse base = HttpResponse.create().addHeader(RawHeader.create("x-request-id", "sim-" + completion.id))
        .addHeader(RawHeader.create("openai-processing-ms", "1"));
    if (!json.path("stream").asBoolean(false)) {
      return base.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, completion.body()));
    }
    boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false) && !fault.equals("no-usage");
    List<byte[]> events = completion.events(includeUsage, settings.tokensPerChunk());
    int total = events.size();
    int cutAfter = fault.startsWith("cut:") ? Integer.parseInt(fault.substring(4)) : -1;
    Duration delay = header(request, "X-Sim-Chunk-Delay-Ms").map(ms -> Duration.ofMillis(Long.parseLong(ms)))
        .orElse(settings.chunkDelay());
    Source<ByteString, NotUsed> chunks = Source.from(events).map(ByteString::fromArrayUnsafe);
    if (!delay.isZero()) {
      chunks = chunks.throttle(1, delay);
    }
    if (cutAfter >= 0) {
      // Fail in place of event number cutAfter + 1: the connection breaks mid-stream, after the headers.
      AtomicLong seen = new AtomicLong();
      chunks = chunks.map(c -> {
        if (seen.incrementAndGet() > cutAfter) {
          throw new IllegalStateException("simulated upstream cut");
        }
        return c;
      });
    }
    AtomicLong sent = new AtomicLong();
    int expected = cutAfter >= 0 ? Math.min(cutAfter, total) : total;
    Source<ByteString, NotUsed> counted = chunks.map(c -> {
      sent.incrementAndGet();
      return c;
    }).watchTermination((mat, done) -> {
      done.whenComplete((d, failure) -> {
        if (cutAfter < 0 && sent.get() < expected) {
          streamsCancelled.incrementAndGet(); // the client (or gateway) went away mid-stream
        }
      });
      return mat;
    });
    return base.withEntity(HttpEntities.createChunked(ContentTypes.parse("text/event-stream"), counted));
  }

  private HttpResponse replayed(HttpRequest request, ByteString body, Replay replay) {
    Map<String, String> headers = new java.util.HashMap<>(headers(request));
    headers.put("content-type", request.entity().getContentType().toString());
    lastRequest.set(new ReceivedRequest(request.getUri().path() + request.getUri().rawQueryString().map(q -> "?" + q).orElse(""),
        headers, body.decodeString(StandardCharsets.ISO_8859_1), request.method().value()));
    if (!replay.eventStream()) {
      return HttpResponse.create().withStatus(status(replay.status()))
          .withEntity(HttpEntities.create(ContentTypes.parse(replay.contentType()), replay.body()));
    }
    // Served in small pieces, as a network would: events split across chunks.
    List<ByteString> pieces = new java.util.ArrayList<>();
    for (int at = 0; at < replay.body().length; at += 97) {
      pieces.add(ByteString.fromArray(replay.body(), at, Math.min(97, replay.body().length - at)));
    }
    return HttpResponse.create().withStatus(status(replay.status()))
        .withEntity(HttpEntities.createChunked(ContentTypes.parse("text/event-stream"), Source.from(pieces)));
  }

  /** Providers use codes Pekko does not know (Anthropic's 529 Overloaded): declare those as custom. */
  private static StatusCode status(int code) {
    try {
      return StatusCodes.get(code);
    } catch (RuntimeException unknown) {
      return StatusCodes.custom(code, "Status " + code, "", code < 400, true);
    }
  }

  private static HttpResponse error(int status, String type, String message) {
    String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (status == 429 ? "\"rate_limit_exceeded\"" : "null") + "}}";
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private static Map<String, String> headers(HttpRequest request) {
    return java.util.stream.StreamSupport.stream(request.getHeaders().spliterator(), false)
        .collect(Collectors.toMap(HttpHeader::lowercaseName, HttpHeader::value, (a, b) -> a + "," + b));
  }
}
