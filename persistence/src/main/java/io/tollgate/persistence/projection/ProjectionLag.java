package io.tollgate.persistence.projection;

/**
 * Told how far a projection trails the journal, for the {@code tollgate_projection_lag_seconds} gauge: after
 * each group it writes, by the age of the newest batch in it; and when it has read all there is, zero once
 * it has also written the newest event it read (a group still being gathered is not caught up).
 */
public interface ProjectionLag {
  ProjectionLag NONE = new ProjectionLag() {
    @Override
    public void written(String projection, long newestWrittenAtMillis) {}

    @Override
    public void caughtUp(String projection, long newestReadAtMillis) {}
  };

  void written(String projection, long newestWrittenAtMillis);

  /** The source found nothing new; the newest event it has handed on was journaled then (0: none yet). */
  void caughtUp(String projection, long newestReadAtMillis);
}
