package io.tollgate.persistence.projection;

/**
 * Told how far a projection trails the journal, for the {@code tollgate_projection_lag_seconds} gauge: after
 * each group it writes, by the age of the newest batch in it; and when it has read all there is, zero.
 */
public interface ProjectionLag {
  ProjectionLag NONE = new ProjectionLag() {
    @Override
    public void written(String projection, long newestWrittenAtMillis) {}

    @Override
    public void caughtUp(String projection) {}
  };

  void written(String projection, long newestWrittenAtMillis);

  void caughtUp(String projection);
}
