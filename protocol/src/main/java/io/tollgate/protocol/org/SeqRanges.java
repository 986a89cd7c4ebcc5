package io.tollgate.protocol.org;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * An immutable set of positive longs stored as sorted, disjoint, non-adjacent closed ranges
 * {@code [from0, to0, from1, to1, ...]}. Settled admission numbers are nearly contiguous, so the set stays as
 * small as the number of gaps (admissions still in flight), whatever the throughput.
 */
public final class SeqRanges {
  public static final SeqRanges EMPTY = new SeqRanges(new long[0]);

  private final long[] bounds;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public SeqRanges(long[] bounds) {
    if (bounds.length % 2 != 0) {
      throw new IllegalArgumentException("ranges come in pairs");
    }
    this.bounds = bounds.clone();
  }

  @JsonValue
  public long[] bounds() {
    return bounds.clone();
  }

  public int rangeCount() {
    return bounds.length / 2;
  }

  public boolean contains(long seq) {
    int lo = 0;
    int hi = rangeCount() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (seq < bounds[2 * mid]) {
        hi = mid - 1;
      } else if (seq > bounds[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** This set with {@code seqs} added (any order, duplicates allowed). */
  public SeqRanges with(long[] seqs) {
    if (seqs.length == 0) {
      return this;
    }
    long[] points = seqs.clone();
    Arrays.sort(points);
    long[] out = new long[bounds.length + 2 * points.length];
    int n = 0;
    int r = 0;
    int p = 0;
    while (r < rangeCount() || p < points.length) {
      long from;
      long to;
      if (p >= points.length || (r < rangeCount() && bounds[2 * r] <= points[p])) {
        from = bounds[2 * r];
        to = bounds[2 * r + 1];
        r++;
      } else {
        from = points[p];
        to = points[p];
        p++;
      }
      if (n > 0 && from <= out[n - 1] + 1) {
        out[n - 1] = Math.max(out[n - 1], to);
      } else {
        out[n++] = from;
        out[n++] = to;
      }
    }
    return new SeqRanges(Arrays.copyOf(out, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeqRanges other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    return "SeqRanges" + Arrays.toString(bounds);
  }
}
