package io.tollgate.node.metrics;

import io.tollgate.persistence.projection.ProjectionLag;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;

/**
 * {@code tollgate_projection_lag_seconds{projection}}: how far each read model trails the journal, on the node
 * that runs its projection (the others report nothing for it).
 */
public final class ProjectionLagGauge implements ProjectionLag {
  private final Metric.Gauge lag = Kamon.gauge("tollgate.projection.lag",
      "Age of the newest journaled event a projection has written; 0 once it has read and written all there is",
      MeasurementUnit.time().seconds());
  private final Clock clock;
  private final Map<String, Long> newestWritten = new ConcurrentHashMap<>();

  public ProjectionLagGauge(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void written(String projection, long newestWrittenAtMillis) {
    newestWritten.merge(projection, newestWrittenAtMillis, Math::max);
    lag.withTag("projection", projection).update(Math.max(0, clock.millis() - newestWrittenAtMillis) / 1000.0);
  }

  @Override
  public void caughtUp(String projection, long newestReadAtMillis) {
    if (newestWritten.getOrDefault(projection, 0L) >= newestReadAtMillis) {
      lag.withTag("projection", projection).update(0);
    }
  }
}
