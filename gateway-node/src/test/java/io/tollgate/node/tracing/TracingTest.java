package io.tollgate.node.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tollgate.node.testkit.Eventually;
import io.tollgate.node.testkit.ProxyClient;
import io.tollgate.node.testkit.TestClock;
import io.tollgate.node.testkit.TestNode;
import io.tollgate.persistence.TestDatabases;
import io.tollgate.simulator.SimulatorSettings;
import io.tollgate.simulator.UpstreamSimulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Traces over OTLP to an in-process receiver: a request's span carries the GenAI attributes and Tollgate's
 * (cost as the answer said it, org, session), continues the caller's trace, and its context goes to the
 * provider in {@code traceparent}.
 */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  /** An OTLP/HTTP receiver: every span it is sent, by attribute. */
  private static final class Receiver implements AutoCloseable {
    final List<io.opentelemetry.proto.trace.v1.Span> spans = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/v1/traces", exchange -> {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
        for (ResourceSpans r : export.getResourceSpansList()) {
          for (ScopeSpans s : r.getScopeSpansList()) {
            spans.addAll(s.getSpansList());
          }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static Map<String, AnyValue> attributes(io.opentelemetry.proto.trace.v1.Span span) {
    Map<String, AnyValue> byKey = new HashMap<>();
    for (KeyValue kv : span.getAttributesList()) {
      byKey.put(kv.getKey(), kv.getValue());
    }
    return byKey;
  }

  @Test
  void aRequestsSpanCarriesTheGenAiAttributesAndContinuesTheCallersTrace() throws Exception {
    try (Receiver receiver = new Receiver();
        UpstreamSimulator simulator = UpstreamSimulator.start("127.0.0.1", 0, SimulatorSettings.defaults())) {
      TestNode node = TestNode.start(TestNode.options(TestDatabases.freshSchema(), simulator.baseUrl(),
          new TestClock(Instant.now())).withExtra("tollgate.tracing.otlp-endpoint = \"" + receiver.url() + "\"\n"
              + "tollgate.tracing.sample-ratio = 0.0\ntollgate.tracing.export-delay = 200ms\n"));
      try {
        node.admin().createOrg("traced", null);
        String key = node.admin().issueKey("traced");
        HttpResponse<String> answer = ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
            ProxyClient.chat("gpt-4o-mini", "hello", 20, false),
            Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", "X-Session-ID", "s-42"));
        assertEquals(200, answer.statusCode());
        String upstream = simulator.lastRequest().orElseThrow().headers().get("traceparent");
        assertEquals(200, ProxyClient.post(node.baseUrl() + "/v1/chat/completions", key,
            ProxyClient.chat("gpt-4o-mini", "not sampled", 20, false)).statusCode());

        Eventually.await(Duration.ofSeconds(15), () -> assertEquals(1, receiver.spans.size()));
        io.opentelemetry.proto.trace.v1.Span span = receiver.spans.get(0);
        assertEquals(TRACE_ID, HexFormat.of().formatHex(span.getTraceId().toByteArray()), "the caller's trace");
        assertEquals(CALLER_SPAN, HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
        assertEquals("chat gpt-4o-mini", span.getName());
        Map<String, AnyValue> a = attributes(span);
        assertEquals("openai", a.get("gen_ai.provider.name").getStringValue());
        assertEquals("chat", a.get("gen_ai.operation.name").getStringValue());
        assertEquals("gpt-4o-mini", a.get("gen_ai.request.model").getStringValue());
        assertEquals("gpt-4o-mini-2024-07-18", a.get("gen_ai.response.model").getStringValue());
        assertTrue(a.get("gen_ai.usage.input_tokens").getIntValue() > 0);
        assertTrue(a.get("gen_ai.usage.output_tokens").getIntValue() > 0);
        assertEquals(answer.headers().firstValue("X-Tollgate-Cost-USD").orElseThrow(),
            a.get("tollgate.cost_usd").getStringValue());
        assertEquals("traced", a.get("tollgate.org").getStringValue());
        assertEquals("s-42", a.get("gen_ai.conversation.id").getStringValue());
        assertEquals(200, a.get("http.response.status_code").getIntValue());

        assertEquals("00-" + TRACE_ID + "-" + HexFormat.of().formatHex(span.getSpanId().toByteArray()) + "-01", upstream,
            "the provider sees the gateway's span, in the caller's trace");
        Thread.sleep(500);
        assertEquals(1, receiver.spans.size(), "ratio 0: a request without a sampled parent is not traced");
      } finally {
        node.close();
      }
    }
  }
}
