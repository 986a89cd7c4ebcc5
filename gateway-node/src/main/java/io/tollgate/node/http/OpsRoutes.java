package io.tollgate.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /health/live} and {@code /health/ready}, served on the proxy port and the management port, and
 * {@code /metrics} (Prometheus text format), on the management port only: the metrics name every org.
 */
public final class OpsRoutes {
  private static final ContentType.NonBinary PROMETHEUS = MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  private final Readiness readiness;

  public OpsRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  /** What the management port serves: the probes and the metrics. */
  public Route management() {
    return concat(probes(), get(() -> path("metrics", () -> complete(HttpResponse.create().withEntity(
        HttpEntities.create(PROMETHEUS, PrometheusReporter.latestScrapeData().getOrElse(() -> "# no metrics reported yet\n")))))));
  }

  /** The health probes alone, for the proxy port too (load balancers probe the port they send traffic to). */
  public Route probes() {
    return get(() -> concat(
        path(segment("health").slash("live"), () -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"live\"}")))),
        path(segment("health").slash("ready"), () -> {
          Readiness.Status status = readiness.check();
          return complete(HttpResponse.create()
              .withStatus(status.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, status.json().toString())));
        })));
  }
}
