package io.tollgate.node.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutputSizesTest {
  @Test
  void theDefaultUntilEnoughAnswersThenTheirNinetyNinthPercentileNeverAboveTheDefault() {
    OutputSizes sizes = new OutputSizes();
    for (int i = 1; i < OutputSizes.MIN_SAMPLES; i++) {
      sizes.observe("gpt-4o-mini", 100);
    }
    assertEquals(4096, sizes.toHold("gpt-4o-mini", 4096), "too few answers to go by");
    sizes.observe("gpt-4o-mini", 100);
    assertEquals(100, sizes.toHold("gpt-4o-mini", 4096));
    assertEquals(4096, sizes.toHold("o3", 4096), "another model has its own answers");

    for (int i = 0; i < OutputSizes.WINDOW; i++) {
      sizes.observe("gpt-4o-mini", i < 127 ? 10 + i : 9_000); // one outlier in 128
    }
    assertEquals(136, sizes.toHold("gpt-4o-mini", 4096), "the 99th percentile of the last 128: 127th of 128");
    for (int i = 0; i < 3; i++) {
      sizes.observe("gpt-4o-mini", 9_000);
    }
    for (int i = 0; i < 8; i++) {
      sizes.observe("gpt-4o-mini", 9_000);
    }
    assertEquals(4096, sizes.toHold("gpt-4o-mini", 4096), "long answers lately: never above the default");
  }

  @Test
  void atMostSoManyModelsAreTracked() {
    OutputSizes sizes = new OutputSizes();
    for (int m = 0; m <= OutputSizes.MAX_MODELS; m++) {
      for (int i = 0; i < OutputSizes.MIN_SAMPLES; i++) {
        sizes.observe("model-" + m, 50);
      }
    }
    assertEquals(50, sizes.toHold("model-0", 4096));
    assertEquals(4096, sizes.toHold("model-" + OutputSizes.MAX_MODELS, 4096), "past the cap: the default");
  }
}
