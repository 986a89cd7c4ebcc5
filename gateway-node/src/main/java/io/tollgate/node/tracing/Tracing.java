package io.tollgate.node.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tollgate.node.config.TracingSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry traces of proxied requests, exported over OTLP/HTTP with the opentelemetry-java SDK: one span per
 * request, a child of the caller's {@code traceparent} when it sent one, sampled by ratio otherwise. Off, it
 * makes no span and costs a null check. One per node.
 */
public final class Tracing implements AutoCloseable {
  public static final Tracing OFF = new Tracing(null);
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("io.tollgate.gateway");
  }

  public static Tracing start(TracingSettings settings) {
    if (!settings.enabled()) {
      return OFF;
    }
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.otlpEndpoint());
    settings.otlpHeaders().forEach(exporter::addHeader);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), settings.serviceName()))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).setScheduleDelay(settings.exportDelay()).build())
        .build();
    return new Tracing(provider);
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * The span of a request that arrived at {@code startEpochNanos}, named as the GenAI conventions name it
   * ({@code chat gpt-4o}); null when tracing is off.
   */
  public RequestSpan start(String operation, String model, String callerTraceparent, long startEpochNanos) {
    if (tracer == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    if (callerTraceparent != null) {
      carrier.put("traceparent", callerTraceparent);
    }
    Context parent = W3C.extract(Context.root(), carrier, GETTER);
    Span span = tracer.spanBuilder(model == null ? operation : operation + " " + model).setParent(parent)
        .setSpanKind(SpanKind.CLIENT).setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS).startSpan();
    Map<String, String> out = new HashMap<>(2);
    W3C.inject(Context.root().with(span), out, Map::put);
    return new RequestSpan(span, out.get("traceparent"));
  }

  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
