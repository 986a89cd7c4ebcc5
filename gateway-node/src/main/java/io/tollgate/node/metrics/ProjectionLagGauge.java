package io.tollgate.node.metrics;

import io.tollgate.persistence.projection.ProjectionLag;
import java.time.Clock;
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
  private final LagReadings readings = new LagReadings();

  public ProjectionLagGauge(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void written(String projection, long newestWrittenAtMillis) {
    lag.withTag("projection", projection).update(readings.written(projection, newestWrittenAtMillis, clock.millis()));
  }

  @Override
  public void caughtUp(String projection, long newestReadAtMillis) {
    readings.caughtUp(projection, newestReadAtMillis).ifPresent(s -> lag.withTag("projection", projection).update(s));
  }
}
