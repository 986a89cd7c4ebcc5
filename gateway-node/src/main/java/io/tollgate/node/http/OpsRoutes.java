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

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format). */
public final class OpsRoutes {
  private static final ContentType.NonBinary PROMETHEUS = MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  private final Readiness readiness;

  public OpsRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  public Route routes() {
    return get(() -> concat(
        path(segment("health").slash("live"), () -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"live\"}")))),
        path(segment("health").slash("ready"), () -> {
          Readiness.Status status = readiness.check();
          return complete(HttpResponse.create()
              .withStatus(status.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, status.json().toString())));
        }),
        path("metrics", () -> complete(HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS,
            PrometheusReporter.latestScrapeData().getOrElse(() -> "# no metrics reported yet\n")))))));
  }
}
