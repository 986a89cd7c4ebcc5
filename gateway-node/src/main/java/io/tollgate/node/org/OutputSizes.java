package io.tollgate.node.org;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How many output tokens an org's answers of each model used lately, to hold no more than that for a request
 * that sets no max_tokens: the 99th percentile of the last {@link #WINDOW} completed answers of the model,
 * once there are {@link #MIN_SAMPLES} of them. Live only (a restart starts from the default again).
 *
 * <p>Invariant: at most {@link #MAX_MODELS} models, each with at most {@link #WINDOW} samples; a model first
 * seen when full is not tracked, and its requests are held at the default.
 */
final class OutputSizes {
  static final int WINDOW = 128;
  static final int MIN_SAMPLES = 32;
  static final int MAX_MODELS = 64;
  /** The percentile is recomputed after this many new samples, not on every request. */
  private static final int RECOMPUTE_EVERY = 8;

  private static final class Samples {
    final int[] last = new int[WINDOW];
    int count;
    int sinceComputed;
    long p99 = -1;

    void add(long output) {
      last[count % WINDOW] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, output));
      count++;
      if (count >= MIN_SAMPLES && (p99 < 0 || ++sinceComputed >= RECOMPUTE_EVERY)) {
        int[] sorted = Arrays.copyOf(last, Math.min(count, WINDOW));
        Arrays.sort(sorted);
        p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
        sinceComputed = 0;
      }
    }
  }

  private final Map<String, Samples> byModel = new HashMap<>();

  /** A completed answer of {@code model} (as the request named it) used {@code output} tokens. */
  void observe(String model, long output) {
    Samples samples = byModel.get(model);
    if (samples == null) {
      if (byModel.size() >= MAX_MODELS) {
        return;
      }
      samples = new Samples();
      byModel.put(model, samples);
    }
    samples.add(output);
  }

  /** The output to hold for a request of {@code model} without max_tokens: at most {@code cap}, the default. */
  long toHold(String model, long cap) {
    Samples samples = byModel.get(model);
    return samples == null || samples.p99 < 0 ? cap : Math.min(cap, Math.max(1, samples.p99));
  }
}
