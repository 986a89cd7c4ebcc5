package io.tollgate.node.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.node.config.ProviderEndpoint;
import io.tollgate.node.upstream.Deployment;
import io.tollgate.node.upstream.ProviderPool;
import io.tollgate.node.upstream.UpstreamClient;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.ProviderId;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class UpstreamExchangeTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String CHAT = "/v1/chat/completions";
  private static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}";
  private static final String WHOLE = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";

  private final UpstreamExchange exchange = new UpstreamExchange(Duration.ofSeconds(7),
      Materializer.matFromSystem(testKit.system()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theProviderGetsTheNodesKeyTheClientsHeadersAndTheBodyToSend() {
    ProviderPool upstream = upstream("http://127.0.0.1:1/v1", "sk-node-key");
    ProxyCall call = TestCalls.call(CHAT, STREAM, upstream, List.of(RawHeader.create("User-Agent", "OpenAI/Python 1.0")),
        Attribution.NONE);
    HttpRequest request = UpstreamExchange.request(call, call.upstream().deployments().get(0).endpoint());

    assertEquals("/v1/chat/completions", request.getUri().path());
    assertEquals("Bearer sk-node-key", request.getHeader("Authorization").orElseThrow().value());
    assertEquals("OpenAI/Python 1.0", request.getHeader("User-Agent").orElseThrow().value());
    String sent = ((HttpEntity.Strict) request.entity()).getData().utf8String();
    assertTrue(sent.contains("include_usage"), "stream usage is asked for upstream: " + sent);
  }

  @Test
  void aProviderWithoutAKeyOfTheNodesGetsNoCredential() {
    ProxyCall call = TestCalls.call(CHAT, WHOLE, upstream("http://127.0.0.1:1/v1", null), List.of(), Attribution.NONE);
    assertTrue(UpstreamExchange.request(call, call.upstream().deployments().get(0).endpoint()).getHeader("Authorization").isEmpty());
  }

  @Test
  void onlyASuccessfulEventStreamTheClientAskedForIsPassedOnAsItComes() {
    ProxyCall streaming = TestCalls.call(CHAT, STREAM);
    ProxyCall whole = TestCalls.call(CHAT, WHOLE);

    assertTrue(UpstreamExchange.streams(streaming, answer(200, true)));
    assertFalse(UpstreamExchange.streams(streaming, answer(200, false)), "a JSON answer is read whole");
    assertFalse(UpstreamExchange.streams(streaming, answer(500, true)), "an error is read whole");
    assertFalse(UpstreamExchange.streams(whole, answer(200, true)), "the client did not ask for a stream");
  }

  @Test
  void anErrorAnswerIsReadUpToOneMebibyteAndASuccessFarBeyond() throws Exception {
    byte[] twoMebibytes = new byte[2 * 1024 * 1024];
    HttpResponse bigError = chunked(500, twoMebibytes);
    ExecutionException tooBig = assertThrows(ExecutionException.class,
        () -> exchange.body(bigError).get(5, TimeUnit.SECONDS));
    assertTrue(tooBig.getCause().toString().contains("EntityStreamSizeException"), tooBig.getCause().toString());

    HttpEntity.Strict read = exchange.body(chunked(200, twoMebibytes)).get(5, TimeUnit.SECONDS);
    assertEquals(twoMebibytes.length, read.getData().size());
  }

  @Test
  void noAnswerInTimeIsATimeoutAndNoConnectionIsAnUnreachableProvider() {
    UpstreamExchange.Failure timeout = exchange.failure(new CompletionException(new TimeoutException()));
    assertEquals(ErrorKind.UPSTREAM_TIMEOUT, timeout.error().kind());
    assertEquals("The provider did not answer within 7s.", timeout.error().message());
    assertEquals(Outcome.UPSTREAM_TIMEOUT, timeout.outcome());

    UpstreamExchange.Failure refused = exchange.failure(new ExecutionException(new ConnectException("refused")));
    assertEquals(ErrorKind.UPSTREAM_FAILURE, refused.error().kind());
    assertEquals(Outcome.UPSTREAM_UNREACHABLE, refused.outcome());
    assertTrue(refused.cause() instanceof ConnectException);
  }

  @Test
  void aProviderThatAcceptsButNeverAnswersTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0)) {
      UpstreamExchange quick = new UpstreamExchange(Duration.ofMillis(300), Materializer.matFromSystem(testKit.system()));
      ProxyCall call = TestCalls.call(CHAT, WHOLE, upstream("http://127.0.0.1:" + silent.getLocalPort() + "/v1", null),
          List.of(), Attribution.NONE);
      CompletionException failed = assertThrows(CompletionException.class, () -> quick.send(call, Set.of()).answer().join());
      assertEquals(Outcome.UPSTREAM_TIMEOUT, quick.failure(failed).outcome());
    }
  }

  @Test
  void theProvidersServerErrorBecomesABadGatewayAndItsOtherErrorsPassAsTheyAre() {
    var body = HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"error\":{}}");
    HttpResponse passed = UpstreamExchange.passOnError(HttpResponse.create().withStatus(503), body, List.of());
    assertEquals(StatusCodes.BAD_GATEWAY, passed.status());
    assertEquals(502, UpstreamExchange.passedOnStatus(503));
    assertEquals(429, UpstreamExchange.passOnError(HttpResponse.create().withStatus(429), body, List.of()).status().intValue());
    assertEquals(429, UpstreamExchange.passedOnStatus(429));
    assertEquals("{\"error\":{}}", ((HttpEntity.Strict) passed.entity()).getData().utf8String());
  }

  @Test
  void aDeploymentsHealthAndCooldownAreReadFromTheAnswer() {
    assertEquals(Deployment.Result.FAILED, UpstreamExchange.result(HttpResponse.create().withStatus(503)));
    assertEquals(Deployment.Result.RATE_LIMITED, UpstreamExchange.result(HttpResponse.create().withStatus(429)));
    assertEquals(Deployment.Result.ANSWERED, UpstreamExchange.result(HttpResponse.create().withStatus(400)),
        "the client's own mistake says nothing about the deployment");
    HttpResponse seconds = HttpResponse.create().withStatus(429).addHeader(RawHeader.create("Retry-After", "7"));
    assertEquals(7_000, UpstreamExchange.retryAfterMillis(seconds, 0, 10_000));
    long now = java.time.Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
    HttpResponse date = HttpResponse.create().withStatus(429)
        .addHeader(RawHeader.create("Retry-After", "Mon, 07 Dec 2026 10:00:30 GMT"));
    assertEquals(30_000, UpstreamExchange.retryAfterMillis(date, now, 10_000));
    assertEquals(10_000, UpstreamExchange.retryAfterMillis(HttpResponse.create().withStatus(429), now, 10_000),
        "no Retry-After: the configured cooldown");
    HttpResponse huge = HttpResponse.create().withStatus(429).addHeader(RawHeader.create("Retry-After", "999999"));
    assertEquals(600_000, UpstreamExchange.retryAfterMillis(huge, now, 10_000), "at most ten minutes");
  }

  private static ProviderPool upstream(String baseUrl, String key) {
    return ProviderPool.single(new UpstreamClient(testKit.system(), ProviderEndpoint.of(ProviderId.OPENAI, baseUrl, key)),
        System::currentTimeMillis);
  }

  private static HttpResponse answer(int status, boolean eventStream) {
    var type = eventStream ? ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM) : ContentTypes.APPLICATION_JSON;
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(type, "data: {}\n\n"));
  }

  private static HttpResponse chunked(int status, byte[] bytes) {
    var chunks = org.apache.pekko.stream.javadsl.Source.from(List.of(ByteString.fromArray(bytes, 0, bytes.length / 2),
        ByteString.fromArray(bytes, bytes.length / 2, bytes.length - bytes.length / 2)));
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, chunks));
  }
}
