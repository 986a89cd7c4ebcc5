package io.tollgate.node.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tollgate.tracing}: OpenTelemetry traces over OTLP/HTTP, off unless an endpoint is set.
 *
 * @param otlpEndpoint the OTLP/HTTP traces URL; null: no traces
 * @param otlpHeaders sent with every export (credentials of the collector)
 * @param sampleRatio the share of requests traced when the caller's traceparent does not decide
 */
public record TracingSettings(String otlpEndpoint, Map<String, String> otlpHeaders, double sampleRatio,
    Duration exportDelay, String serviceName) {

  public boolean enabled() {
    return otlpEndpoint != null;
  }

  static TracingSettings from(Config c) {
    String endpoint = c.getString("otlp-endpoint").trim();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String pair : c.getString("otlp-headers").split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("TOLLGATE_OTEL_HEADERS must be name=value pairs separated by commas.");
      }
      headers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    TracingSettings settings = new TracingSettings(endpoint.isEmpty() ? null : endpoint, Map.copyOf(headers),
        c.getDouble("sample-ratio"), c.getDuration("export-delay"), c.getString("service-name"));
    if (settings.sampleRatio < 0 || settings.sampleRatio > 1) {
      throw new IllegalArgumentException("TOLLGATE_OTEL_SAMPLE_RATIO must be from 0 to 1 (0.1 by default).");
    }
    if (settings.enabled()) {
      URI uri = URI.create(endpoint);
      if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("TOLLGATE_OTEL_ENDPOINT must be an http(s) URL such as"
            + " http://otel-collector:4318/v1/traces.");
      }
    }
    return settings;
  }
}
